#pragma once

#include "secretstore.h"

namespace Pulsar {

// Tokens in the system keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows) through
// QtKeychain, under the service name "pulsar-desk" with the profile name as key. A machine without a reachable
// keychain (no D-Bus session, no Secret Service) makes every call fail with a specific translated text, never a
// crash; each call is also bounded by a timeout, because a keychain that never answers (a locked collection whose
// unlock prompt nobody sees) must not leave the caller waiting forever.
class KeychainSecretStore final : public SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(const QString &service = QStringLiteral("pulsar-desk"), int timeoutMs = 15000,
                                 QObject *parent = nullptr);

    void read(const QString &key, const QObject *context, ReadCallback callback) override;
    void write(const QString &key, const QString &secret, const QObject *context, DoneCallback callback) override;
    void remove(const QString &key, const QObject *context, DoneCallback callback) override;

    QString service() const { return m_service; }

    // The sentence every failure of this store carries, with QtKeychain's own detail.
    static QString unavailableText(const QString &detail);

private:
    QString m_service;
    int m_timeoutMs;
};

} // namespace Pulsar
