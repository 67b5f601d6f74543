#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace Pulsar {

// Where the desktop app keeps connection tokens, as an asynchronous interface because the real one (the system
// keychain through QtKeychain) answers over D-Bus and may prompt the user. Every callback runs later, from the
// event loop (never inside the call), in the context object's thread, and is dropped if the context is destroyed
// first. Keys are profile names. Implementations never log a secret.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    // secret: the value, or nullopt when there is none (error empty) or the store failed (error says why).
    using ReadCallback = std::function<void(const std::optional<QString> &secret, const QString &error)>;
    // error: empty on success.
    using DoneCallback = std::function<void(const QString &error)>;

    explicit SecretStore(QObject *parent = nullptr)
        : QObject(parent)
    {}

    virtual void read(const QString &key, const QObject *context, ReadCallback callback) = 0;
    virtual void write(const QString &key, const QString &secret, const QObject *context, DoneCallback callback) = 0;
    // Removing a key that has no secret succeeds.
    virtual void remove(const QString &key, const QObject *context, DoneCallback callback) = 0;
};

// Secrets in this process's memory only: the tests' store, and the fallback when no keychain is reachable (the
// token then lasts for the session).
class MemorySecretStore final : public SecretStore
{
    Q_OBJECT
public:
    explicit MemorySecretStore(QObject *parent = nullptr);

    void read(const QString &key, const QObject *context, ReadCallback callback) override;
    void write(const QString &key, const QString &secret, const QObject *context, DoneCallback callback) override;
    void remove(const QString &key, const QObject *context, DoneCallback callback) override;

    // Synchronous access for tests and for the session-token memory.
    bool contains(const QString &key) const { return m_secrets.contains(key); }
    QString secret(const QString &key) const { return m_secrets.value(key); }
    qsizetype size() const { return m_secrets.size(); }

private:
    QHash<QString, QString> m_secrets;
};

} // namespace Pulsar
