#include "secretstore.h"

#include <QTimer>

namespace Pulsar {

MemorySecretStore::MemorySecretStore(QObject *parent)
    : SecretStore(parent)
{}

// The answers go through the event loop like the keychain's, so that callers written against this store behave the
// same with the real one.
void MemorySecretStore::read(const QString &key, const QObject *context, ReadCallback callback)
{
    std::optional<QString> secret;
    const auto it = m_secrets.constFind(key);
    if (it != m_secrets.constEnd())
        secret = *it;
    QTimer::singleShot(0, context, [callback = std::move(callback), secret] { callback(secret, QString()); });
}

void MemorySecretStore::write(const QString &key, const QString &secret, const QObject *context, DoneCallback callback)
{
    m_secrets.insert(key, secret);
    QTimer::singleShot(0, context, [callback = std::move(callback)] { callback(QString()); });
}

void MemorySecretStore::remove(const QString &key, const QObject *context, DoneCallback callback)
{
    m_secrets.remove(key);
    QTimer::singleShot(0, context, [callback = std::move(callback)] { callback(QString()); });
}

} // namespace Pulsar
