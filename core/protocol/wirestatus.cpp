#include "wirestatus.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace Pulsar {

QString webSocketErrorDescription(WebSocketError error)
{
    switch (error) {
    case WebSocketError::FailedToCreateProducer:
        return QStringLiteral("Failed to create producer");
    case WebSocketError::FailedToSubscribe:
        return QStringLiteral("Failed to subscribe");
    case WebSocketError::FailedToDeserializeFromJson:
        return QStringLiteral("Failed to de-serialize from JSON");
    case WebSocketError::FailedToSerializeToJson:
        return QStringLiteral("Failed to serialize to JSON");
    case WebSocketError::AuthenticationError:
        return QStringLiteral("Failed to authenticate client");
    case WebSocketError::NotAuthorizedError:
        return QStringLiteral("Client is not authorized");
    case WebSocketError::PayloadEncodingError:
        return QStringLiteral("Invalid payload encoding");
    case WebSocketError::UnknownError:
        return QStringLiteral("Unknown error");
    }
    return QStringLiteral("Unknown error");
}

QString webSocketErrorDisplayText(WebSocketError error)
{
    switch (error) {
    case WebSocketError::FailedToCreateProducer:
        return QCoreApplication::translate("Pulsar::WebSocketError", "Failed to create producer");
    case WebSocketError::FailedToSubscribe:
        return QCoreApplication::translate("Pulsar::WebSocketError", "Failed to subscribe");
    case WebSocketError::FailedToDeserializeFromJson:
        return QCoreApplication::translate("Pulsar::WebSocketError", "The server could not read the JSON frame");
    case WebSocketError::FailedToSerializeToJson:
        return QCoreApplication::translate("Pulsar::WebSocketError", "The server could not write a JSON frame");
    case WebSocketError::AuthenticationError:
        return QCoreApplication::translate("Pulsar::WebSocketError", "Authentication failed");
    case WebSocketError::NotAuthorizedError:
        return QCoreApplication::translate("Pulsar::WebSocketError", "Not authorized");
    case WebSocketError::PayloadEncodingError:
        return QCoreApplication::translate("Pulsar::WebSocketError", "Invalid payload encoding");
    case WebSocketError::UnknownError:
        return QCoreApplication::translate("Pulsar::WebSocketError", "The broker could not store the message");
    }
    return QString();
}

QString sendErrorResult(WebSocketError error)
{
    return QStringLiteral("send-error:") + QString::number(int(error));
}

std::optional<WebSocketError> parseSendResult(const QString &result)
{
    if (result == QLatin1String(kResultOk))
        return std::nullopt;
    static const QLatin1String prefix("send-error:");
    if (result.startsWith(prefix)) {
        bool ok = false;
        const int n = QStringView(result).mid(prefix.size()).toInt(&ok);
        if (ok && n >= 1 && n <= 8)
            return WebSocketError(n);
    }
    return WebSocketError::UnknownError;
}

int httpStatusFor(HandshakeFailure failure)
{
    switch (failure) {
    case HandshakeFailure::AuthenticationFailed:
        return 401;
    case HandshakeFailure::NotAuthorized:
        return 403;
    case HandshakeFailure::InvalidQueryParams:
        return 400;
    case HandshakeFailure::TopicNotFound:
    case HandshakeFailure::NotFound:
        return 404;
    case HandshakeFailure::MethodNotAllowed:
        return 405;
    case HandshakeFailure::Conflict:
        return 409;
    case HandshakeFailure::TooManyRequests:
        return 429;
    case HandshakeFailure::ServiceUnavailable:
        return 503;
    case HandshakeFailure::Timeout:
        return 504;
    case HandshakeFailure::AuthorizationError:
    case HandshakeFailure::ServerError:
    case HandshakeFailure::ReaderFailed:
    case HandshakeFailure::MalformedRequest:
        return 500;
    }
    return 500;
}

QByteArray httpReasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 307:
        return "Temporary Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Server Error";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Unknown";
    }
}

QString handshakeMessage(HandshakeFailure failure, const QString &detail)
{
    switch (failure) {
    case HandshakeFailure::AuthenticationFailed:
        return QStringLiteral("Failed to authenticate");
    case HandshakeFailure::NotAuthorized:
        return QStringLiteral("Not authorized");
    case HandshakeFailure::AuthorizationError:
        return QStringLiteral("Server error");
    case HandshakeFailure::InvalidQueryParams:
        return QStringLiteral("Invalid query params: ") + detail;
    case HandshakeFailure::TopicNotFound:
    case HandshakeFailure::Conflict:
    case HandshakeFailure::TooManyRequests:
    case HandshakeFailure::ServiceUnavailable:
    case HandshakeFailure::Timeout:
    case HandshakeFailure::ServerError:
        return QStringLiteral("Failed to create producer/consumer: ") + detail;
    case HandshakeFailure::ReaderFailed:
        return QStringLiteral("Failed to create reader: ") + detail;
    case HandshakeFailure::MalformedRequest:
    case HandshakeFailure::NotFound:
    case HandshakeFailure::MethodNotAllowed:
        return detail;
    }
    return detail;
}

static QString htmlEscaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QByteArray handshakeErrorBody(int status, const QString &message)
{
    const QString code = QString::number(status);
    const QString escaped = htmlEscaped(message);
    const QString reason = QString::fromLatin1(httpReasonPhrase(status));
    const QString html =
        QStringLiteral("<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html;charset=utf-8\"/>\n") +
        QStringLiteral("<title>Error ") + code + QLatin1Char(' ') + escaped +
        QStringLiteral("</title>\n</head>\n<body><h2>HTTP ERROR ") + code + QLatin1Char(' ') + reason +
        QStringLiteral("</h2>\n<table>\n<tr><th>MESSAGE:</th><td>") + escaped +
        QStringLiteral("</td></tr>\n<tr><th>STATUS:</th><td>") + code +
        QStringLiteral("</td></tr>\n</table>\n</body>\n</html>\n");
    return html.toUtf8();
}

static QString htmlUnescaped(QString text)
{
    text.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
    text.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    text.replace(QStringLiteral("&quot;"), QStringLiteral("\""));
    text.replace(QStringLiteral("&#39;"), QStringLiteral("'"));
    text.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    return text;
}

QString extractHandshakeMessage(const QByteArray &body)
{
    const QString text = QString::fromUtf8(body).trimmed();
    if (text.isEmpty())
        return QString();
    if (text.startsWith(QLatin1Char('{'))) {
        const QJsonObject object = QJsonDocument::fromJson(body).object();
        const QString reason = object.value(QLatin1String("reason")).toString();
        if (!reason.isEmpty())
            return reason;
        const QString message = object.value(QLatin1String("message")).toString();
        if (!message.isEmpty())
            return message;
    }
    // Jetty 9 and 12 both write "MESSAGE:</th><td>...</td>"; older pages only have the title.
    static const QRegularExpression messageCell(QStringLiteral("<th>MESSAGE:</th><td>(.*?)</td>"),
                                                QRegularExpression::DotMatchesEverythingOption);
    QRegularExpressionMatch match = messageCell.match(text);
    if (match.hasMatch())
        return htmlUnescaped(match.captured(1));
    static const QRegularExpression title(QStringLiteral("<title>Error \\d+ (.*?)</title>"),
                                          QRegularExpression::DotMatchesEverythingOption);
    match = title.match(text);
    if (match.hasMatch())
        return htmlUnescaped(match.captured(1));
    if (text.startsWith(QLatin1Char('<')))
        return QString();
    return text;
}

QString readableHandshakeMessage(const QString &message)
{
    const qsizetype brace = message.indexOf(QLatin1String("{\"errorMsg\":\""));
    if (brace < 0)
        return message;
    // Pulsar's client does not escape errorMsg, so the object is not always valid JSON: take the text up to the
    // field that follows it.
    const qsizetype start = brace + 13;
    const qsizetype end = message.indexOf(QLatin1String("\",\"reqId\":"), start);
    if (end < 0)
        return message;
    return message.left(brace) + message.mid(start, end - start);
}

QString messageTooBigReason(qint64 size, qint64 limit)
{
    return QStringLiteral("Text message size [%1] exceeds maximum size [%2]").arg(size).arg(limit);
}

QString idleTimeoutReason(qint64 timeoutMs)
{
    return QStringLiteral("java.util.concurrent.TimeoutException: Idle timeout expired: %1/%1 ms").arg(timeoutMs);
}

} // namespace Pulsar
