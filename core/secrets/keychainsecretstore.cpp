#include "keychainsecretstore.h"

#include <QPointer>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

namespace Pulsar {

namespace {

// One call's outcome is reported once: by the job or by the timeout, whichever comes first.
struct Once
{
    bool done = false;
};

QString detailOf(const QKeychain::Job *job)
{
    const QString text = job->errorString();
    return text.isEmpty() ? KeychainSecretStore::tr("error %1").arg(int(job->error())) : text;
}

// Starts job, calls onFinished(job) when it finishes or onTimeout() after timeoutMs, never both, never after the
// context is gone.
template<typename OnFinished, typename OnTimeout>
void run(QKeychain::Job *job, const QObject *context, int timeoutMs, OnFinished onFinished, OnTimeout onTimeout)
{
    auto once = std::make_shared<Once>();
    QPointer<const QObject> guard(context);
    QObject::connect(job, &QKeychain::Job::finished, job, [once, guard, onFinished](QKeychain::Job *finished) {
        if (once->done || !guard)
            return;
        once->done = true;
        // Some backends fail inside start(): going through the event loop keeps the promise that a callback never
        // runs inside the call. The job is alive until this handler returns, so its outcome is read now.
        QTimer::singleShot(0, guard.data(), onFinished(finished));
    });
    QTimer::singleShot(timeoutMs, context, [once, onTimeout] {
        if (once->done)
            return;
        once->done = true;
        onTimeout();
    });
    job->start();
}

} // namespace

KeychainSecretStore::KeychainSecretStore(const QString &service, int timeoutMs, QObject *parent)
    : SecretStore(parent)
    , m_service(service)
    , m_timeoutMs(timeoutMs)
{}

QString KeychainSecretStore::unavailableText(const QString &detail)
{
    return tr("The system keychain is not available (%1)").arg(detail);
}

void KeychainSecretStore::read(const QString &key, const QObject *context, ReadCallback callback)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    const int timeoutMs = m_timeoutMs;
    run(
        job, context, m_timeoutMs,
        [callback](QKeychain::Job *finished) {
            const auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(finished);
            std::optional<QString> secret;
            QString error;
            if (finished->error() == QKeychain::NoError)
                secret = readJob->textData();
            else if (finished->error() != QKeychain::EntryNotFound)
                error = unavailableText(detailOf(finished));
            return [callback, secret, error] { callback(secret, error); };
        },
        [callback, timeoutMs] {
            callback(std::nullopt, unavailableText(tr("no answer within %1 s").arg(timeoutMs / 1000)));
        });
}

void KeychainSecretStore::write(const QString &key, const QString &secret, const QObject *context,
                                DoneCallback callback)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(secret);
    const int timeoutMs = m_timeoutMs;
    run(
        job, context, m_timeoutMs,
        [callback](QKeychain::Job *finished) {
            const QString error =
                finished->error() == QKeychain::NoError ? QString() : unavailableText(detailOf(finished));
            return [callback, error] { callback(error); };
        },
        [callback, timeoutMs] { callback(unavailableText(tr("no answer within %1 s").arg(timeoutMs / 1000))); });
}

void KeychainSecretStore::remove(const QString &key, const QObject *context, DoneCallback callback)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    const int timeoutMs = m_timeoutMs;
    run(
        job, context, m_timeoutMs,
        [callback](QKeychain::Job *finished) {
            const bool ok = finished->error() == QKeychain::NoError || finished->error() == QKeychain::EntryNotFound;
            const QString error = ok ? QString() : unavailableText(detailOf(finished));
            return [callback, error] { callback(error); };
        },
        [callback, timeoutMs] { callback(unavailableText(tr("no answer within %1 s").arg(timeoutMs / 1000))); });
}

} // namespace Pulsar
