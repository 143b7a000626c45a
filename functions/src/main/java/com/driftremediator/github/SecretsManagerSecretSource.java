package com.driftremediator.github;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/** The webhook secret as the SecretString (or SecretBinary) of a Secrets Manager secret. */
public final class SecretsManagerSecretSource implements SecretSource {
    private final SecretsManagerClient client;
    private final String secretId;

    public SecretsManagerSecretSource(SecretsManagerClient client, String secretId) {
        this.client = client;
        this.secretId = secretId;
    }

    @Override
    public String read() {
        GetSecretValueResponse r = client.getSecretValue(b -> b.secretId(secretId));
        return r.secretString() != null ? r.secretString() : r.secretBinary() == null ? null : r.secretBinary().asUtf8String();
    }
}
