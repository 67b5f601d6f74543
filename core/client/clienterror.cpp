#include "clienterror.h"

#include "protocol/wirestatus.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace Pulsar {

namespace {

QString baseText(const ClientError &error)
{
    const char *const context = "Pulsar::ClientError";
    switch (error.code) {
    case ClientErrorCode::None:
        return QString();
    case ClientErrorCode::InvalidConfiguration:
        return QCoreApplication::translate(context, "The connection settings are invalid");
    case ClientErrorCode::HostNotFound:
        return QCoreApplication::translate(context, "The server's host name could not be resolved");
    case ClientErrorCode::ConnectionRefused:
        return QCoreApplication::translate(context, "The server refused the connection; is it running?");
    case ClientErrorCode::Timeout:
        return QCoreApplication::translate(context, "The server did not answer in time");
    case ClientErrorCode::TlsError:
        return QCoreApplication::translate(context, "The secure (TLS) connection could not be established");
    case ClientErrorCode::HandshakeRefused:
        return QCoreApplication::translate(context, "The server refused the session (HTTP %1)").arg(error.httpStatus);
    case ClientErrorCode::ConnectionLost:
        return QCoreApplication::translate(context, "The connection to the server was lost");
    case ClientErrorCode::NetworkError:
        return QCoreApplication::translate(context, "A network error occurred");
    case ClientErrorCode::ProtocolError:
        return QCoreApplication::translate(context, "The server sent data this client cannot read");
    case ClientErrorCode::SendFailed:
        return error.wireError ? webSocketErrorDisplayText(*error.wireError)
                               : QCoreApplication::translate(context, "The server could not store the message");
    case ClientErrorCode::SendTimeout:
        return QCoreApplication::translate(context, "The send timed out; the message may or may not have been stored");
    case ClientErrorCode::InFlightLost:
        return QCoreApplication::translate(context, "Connection lost; the message may or may not have been stored");
    case ClientErrorCode::QueueFull:
        return QCoreApplication::translate(context, "Too many messages are waiting to be sent");
    case ClientErrorCode::DuplicateContext:
        return QCoreApplication::translate(context, "A message with the same context is already waiting for its ack");
    case ClientErrorCode::SessionClosed:
        return QCoreApplication::translate(context, "The session is closed");
    }
    return QString();
}

} // namespace

QString ClientError::text() const
{
    const QString base = baseText(*this);
    if (!serverMessage.isEmpty())
        return base + QLatin1String(": ") + readableHandshakeMessage(serverMessage);
    if (!detail.isEmpty())
        return base + QLatin1String(" (") + detail + QLatin1Char(')');
    return base;
}

ClientError ClientError::make(ClientErrorCode code, const QString &detail)
{
    ClientError error;
    error.code = code;
    error.detail = redactSecrets(detail);
    return error;
}

ClientError ClientError::handshake(int status, const QString &serverMessage, const QString &detail)
{
    ClientError error = make(ClientErrorCode::HandshakeRefused, detail);
    error.httpStatus = status;
    error.serverMessage = serverMessage;
    return error;
}

ClientErrorCode clientErrorCodeFor(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return ClientErrorCode::ConnectionRefused;
    case QAbstractSocket::HostNotFoundError:
        return ClientErrorCode::HostNotFound;
    case QAbstractSocket::SocketTimeoutError:
        return ClientErrorCode::Timeout;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return ClientErrorCode::TlsError;
    case QAbstractSocket::RemoteHostClosedError:
        return ClientErrorCode::ConnectionLost;
    default:
        return ClientErrorCode::NetworkError;
    }
}

QString redactSecrets(const QString &text)
{
    static const QRegularExpression tokenItem(QStringLiteral("([?&;]token=)[^&#\\s\"']*"),
                                              QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression bearer(QStringLiteral("(Bearer(?:%20|\\s)+)[^&#\\s\"']+"));
    QString result = text;
    result.replace(tokenItem, QStringLiteral("\\1<redacted>"));
    result.replace(bearer, QStringLiteral("\\1<redacted>"));
    return result;
}

} // namespace Pulsar
