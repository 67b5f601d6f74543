#pragma once

#include "adminerror.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QUrl>

#include <cstddef>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

class QNetworkReply;

namespace Pulsar {

class AdminClient;

// One admin request in flight, returned by every AdminClient call. It emits exactly one of succeeded() or failed(),
// then finished(), always after the call that created it has returned (never from inside it), and then deletes itself
// (deleteLater) unless setAutoDelete(false). Keep it in a QPointer to cancel it later; cancel() fails it with
// AdminError::Cancelled at once. Calls that only report success or failure (create, delete, skip...) are plain
// AdminCalls; calls with a result are AdminReply<T>.
//
//     admin->tenants()->then(this, [this](const QStringList &tenants) { showTenants(tenants); },
//                                  [this](const Pulsar::AdminError &e) { showError(e.message()); });
//
// The callbacks run in the context object's thread and are dropped if the context is destroyed first.
class AdminCall : public QObject
{
    Q_OBJECT

public:
    using RawHeaders = QList<QPair<QByteArray, QByteArray>>;

    ~AdminCall() override;

    bool isFinished() const { return m_finished; }
    bool isSucceeded() const { return m_finished && !m_error.isError(); }
    const AdminError &error() const { return m_error; }
    // The status of the final answer (after redirects); 0 before an answer or when none came.
    int httpStatus() const { return m_httpStatus; }
    // How many redirects were followed.
    int redirectCount() const { return m_redirects; }
    QByteArray verb() const { return m_verb; }
    // The URL first requested, never with the token (safe to log or show).
    QUrl url() const { return m_url; }

    bool autoDelete() const { return m_autoDelete; }
    void setAutoDelete(bool on) { m_autoDelete = on; }

    // onSuccess() on success, onFailure(const AdminError &) on failure (optional), both with context's lifetime.
    template<typename OnSuccess, typename OnFailure = std::nullptr_t>
    AdminCall *then(const QObject *context, OnSuccess onSuccess, OnFailure onFailure = nullptr)
    {
        connect(this, &AdminCall::succeeded, context, std::move(onSuccess));
        connectFailure(context, std::move(onFailure));
        return this;
    }

public Q_SLOTS:
    // Aborts the request; a call that has already finished is left alone.
    void cancel();

Q_SIGNALS:
    void succeeded();
    void failed(const Pulsar::AdminError &error);
    void finished();

protected:
    explicit AdminCall(QObject *parent);

    // Turns a 2xx answer into the result. The base accepts any answer (operations answered with 204).
    virtual bool decode(const QByteArray &body, const RawHeaders &headers, AdminError *error);

    template<typename OnFailure>
    void connectFailure(const QObject *context, OnFailure onFailure)
    {
        if constexpr (!std::is_same_v<OnFailure, std::nullptr_t>)
            connect(this, &AdminCall::failed, context, std::move(onFailure));
    }

private:
    friend class AdminClient;

    void start(QNetworkReply *reply);
    void failLater(const AdminError &error);
    void onReplyFinished();
    void complete(const AdminError &error);
    // Forgets the request without any signal (the client is going away).
    void abandon();

    QPointer<QNetworkReply> m_reply;
    QByteArray m_verb;
    QUrl m_url;
    AdminError m_error;
    int m_httpStatus = 0;
    int m_redirects = 0;
    bool m_finished = false;
    bool m_tooLarge = false;
    bool m_autoDelete = true;
};

// An AdminCall with a typed result, valid once succeeded() has been emitted.
template<typename T>
class AdminReply final : public AdminCall
{
public:
    using Decoder = std::function<std::optional<T>(const QByteArray &body, const RawHeaders &headers, AdminError *)>;

    const T &result() const { return m_result; }

    // onResult(const T &) on success, onFailure(const AdminError &) on failure (optional).
    template<typename OnResult, typename OnFailure = std::nullptr_t>
    AdminReply *then(const QObject *context, OnResult onResult, OnFailure onFailure = nullptr)
    {
        connect(this, &AdminCall::succeeded, context, [this, onResult = std::move(onResult)] { onResult(m_result); });
        connectFailure(context, std::move(onFailure));
        return this;
    }

private:
    friend class AdminClient;

    AdminReply(Decoder decoder, QObject *parent)
        : AdminCall(parent)
        , m_decoder(std::move(decoder))
    {}

    bool decode(const QByteArray &body, const RawHeaders &headers, AdminError *error) override
    {
        std::optional<T> value = m_decoder(body, headers, error);
        if (!value)
            return false;
        m_result = std::move(*value);
        return true;
    }

    Decoder m_decoder;
    T m_result{};
};

} // namespace Pulsar
