package com.driftremediator.github;

import java.time.Duration;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/** The webhook secret as the SecretString (or SecretBinary) of a Secrets Manager secret. */
public final class SecretsManagerSecretSource implements SecretSource {
    private final SecretsManagerClient client;
    private final String secretId;
    private final Duration callTimeout;

    /** @param callTimeout bound on the call, retries included */
    public SecretsManagerSecretSource(SecretsManagerClient client, String secretId, Duration callTimeout) {
        this.client = client;
        this.secretId = secretId;
        this.callTimeout = callTimeout;
    }

    @Override
    public String read() {
        GetSecretValueResponse r = client.getSecretValue(b -> b.secretId(secretId)
                .overrideConfiguration(o -> o.apiCallTimeout(callTimeout)));
        return r.secretString() != null ? r.secretString() : r.secretBinary() == null ? null : r.secretBinary().asUtf8String();
    }
}
