package bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void percentilesAreNearestRankOfTheSortedSamples() {
        Stats s = Stats.of(List.of(7.0, 3.0, 10.0, 1.0, 5.0, 9.0, 2.0, 8.0, 4.0, 6.0));

        assertThat(s.n()).isEqualTo(10);
        assertThat(s.p50()).isEqualTo(5.0);
        assertThat(s.p90()).isEqualTo(9.0);
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.max()).isEqualTo(10.0);
    }

    @Test
    void anOddCountRoundsTheRankUp() {
        Stats s = Stats.of(List.of(11.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0));

        assertThat(s.p50()).isEqualTo(6.0);
        assertThat(s.p90()).isEqualTo(10.0);
    }

    @Test
    void oneSampleIsEveryPercentile() {
        Stats s = Stats.of(List.of(42.0));

        assertThat(List.of(s.p50(), s.p90(), s.min(), s.max())).containsOnly(42.0);
    }

    @Test
    void noSamplesGiveNoFigures() {
        Stats s = Stats.of(List.of());

        assertThat(s.n()).isZero();
        assertThat(s.p50()).isNaN();
        assertThat(s.p90()).isNaN();
    }
}
