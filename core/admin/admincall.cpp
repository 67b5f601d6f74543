#include "admincall.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QRegularExpression>

namespace Pulsar {

namespace {

// Admin answers are small (the largest are stats of topics with many subscriptions); anything past this is not a
// Pulsar answer and is refused rather than buffered.
constexpr qint64 kMaxAnswerBytes = 64 * 1024 * 1024;

// The reason of an error answer: Pulsar's {"reason": ...} (ErrorData), a plain-text body, the message of a Jetty
// error page, or the status line's reason phrase.
QString reasonOf(QNetworkReply *reply, const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (document.isObject()) {
        const QJsonValue reason = document.object().value(QLatin1String("reason"));
        if (reason.isString())
            return reason.toString();
    }
    const QByteArray type = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray().toLower();
    const QString text = QString::fromUtf8(body).trimmed();
    if (!text.isEmpty() && type.startsWith("text/html")) {
        // Jetty: <p>Problem accessing /x. Reason:\n<pre>    Not Found</pre></p>, or at least a <title>.
        static const QRegularExpression pre(QStringLiteral("<pre>\\s*(.*?)\\s*</pre>"),
                                            QRegularExpression::DotMatchesEverythingOption);
        static const QRegularExpression title(QStringLiteral("<title>\\s*(.*?)\\s*</title>"),
                                              QRegularExpression::DotMatchesEverythingOption);
        for (const QRegularExpression *re : {&pre, &title}) {
            const QRegularExpressionMatch match = re->match(text);
            if (match.hasMatch() && !match.captured(1).isEmpty())
                return match.captured(1);
        }
    } else if (!text.isEmpty() && !document.isObject() && !document.isArray()) {
        return text.left(1000);
    }
    return reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
}

AdminError networkError(QNetworkReply *reply)
{
    switch (reply->error()) {
    case QNetworkReply::OperationCanceledError: // Qt 6.4 aborts on a transfer timeout; cancel() never gets here
    case QNetworkReply::TimeoutError:
        return AdminError{AdminError::Timeout, 0, reply->errorString()};
    case QNetworkReply::SslHandshakeFailedError:
        return AdminError{AdminError::Tls, 0, reply->errorString()};
    case QNetworkReply::TooManyRedirectsError:
    case QNetworkReply::InsecureRedirectError:
        return AdminError{AdminError::Redirect, 0, reply->errorString()};
    default:
        return AdminError{AdminError::Network, 0, reply->errorString()};
    }
}

} // namespace

AdminCall::AdminCall(QObject *parent)
    : QObject(parent)
{}

AdminCall::~AdminCall()
{
    abandon();
}

bool AdminCall::decode(const QByteArray &, const RawHeaders &, AdminError *)
{
    return true;
}

void AdminCall::start(QNetworkReply *reply)
{
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, &AdminCall::onReplyFinished);
    connect(reply, &QNetworkReply::redirected, this, [this] { ++m_redirects; });
    connect(reply, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64) {
        if (received > kMaxAnswerBytes && m_reply) {
            m_tooLarge = true;
            m_reply->abort();
        }
    });
}

void AdminCall::failLater(const AdminError &error)
{
    // Queued, so that the caller can connect to the call before it fails.
    QMetaObject::invokeMethod(
        this,
        [this, error] {
            if (!m_finished)
                complete(error);
        },
        Qt::QueuedConnection);
}

void AdminCall::cancel()
{
    if (m_finished)
        return;
    abandon();
    complete(AdminError{AdminError::Cancelled, 0, QString()});
}

void AdminCall::abandon()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void AdminCall::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    m_httpStatus = status.isValid() ? status.toInt() : 0;

    if (m_tooLarge) {
        complete(AdminError{AdminError::MalformedResponse, m_httpStatus,
                            QStringLiteral("The answer exceeds ") + QString::number(kMaxAnswerBytes) +
                                QStringLiteral(" bytes")});
        return;
    }
    const QNetworkReply::NetworkError netError = reply->error();
    if (netError == QNetworkReply::TooManyRedirectsError || netError == QNetworkReply::InsecureRedirectError ||
        m_httpStatus == 0) {
        complete(networkError(reply));
        return;
    }
    const QByteArray body = reply->readAll();
    if (m_httpStatus >= 300) {
        // A 3xx here is one the redirect policy would not follow (no Location, or not HTTP/HTTPS).
        const AdminError::Code code = m_httpStatus < 400 ? AdminError::Redirect : AdminError::Http;
        complete(AdminError{code, m_httpStatus, reasonOf(reply, body)});
        return;
    }
    AdminError error;
    if (!decode(body, reply->rawHeaderPairs(), &error)) {
        error.code = AdminError::MalformedResponse;
        error.httpStatus = m_httpStatus;
        complete(error);
        return;
    }
    complete(AdminError{});
}

void AdminCall::complete(const AdminError &error)
{
    m_finished = true;
    m_error = error;
    // A slot may delete this call; stop touching it then.
    const QPointer<AdminCall> self(this);
    if (error.isError())
        Q_EMIT failed(m_error);
    else
        Q_EMIT succeeded();
    if (!self)
        return;
    Q_EMIT finished();
    if (self && m_autoDelete)
        deleteLater();
}

} // namespace Pulsar
