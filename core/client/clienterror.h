#pragma once

#include "protocol/wirestatus.h"

#include <QAbstractSocket>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Pulsar {

// What went wrong in a client session, as a stable enum callers switch on.
enum class ClientErrorCode
{
    None,
    InvalidConfiguration, // the profile, the endpoint or the options were refused before connecting
    HostNotFound,
    ConnectionRefused, // nothing listens (TCP refused)
    Timeout,           // no connection or no handshake answer in time
    TlsError,          // TLS handshake or certificate verification failed
    HandshakeRefused,  // the server answered the upgrade with an HTTP status: httpStatus + serverMessage
    ConnectionLost,    // an established connection dropped (server close, dead peer, network)
    NetworkError,      // any other socket error
    ProtocolError,     // the server sent something this client cannot read
    SendFailed,        // the server answered a send with send-error:N (wireError, serverMessage)
    SendTimeout,       // no ack within sendTimeoutMillis: the message may or may not have been stored
    InFlightLost,      // the connection dropped before the ack: the message may or may not have been stored
    QueueFull,         // refused locally: the in-flight window and the bounded queue are full
    DuplicateContext,  // a caller-given context is already in flight
    SessionClosed,     // the session was closed, or failed, before the operation completed
};

// An error value of the client: the enum, the HTTP status and Pulsar's own message when the server gave one,
// and a technical detail (Qt's text, already free of tokens). text() is the translated sentence for people.
struct ClientError
{
    ClientErrorCode code = ClientErrorCode::None;
    int httpStatus = 0;                      // HandshakeRefused only
    QString serverMessage;                   // Pulsar's text, verbatim (handshake body or ack errorMsg)
    std::optional<WebSocketError> wireError; // SendFailed: the N of send-error:N
    QString detail;                          // technical detail, never holding a token

    bool isError() const { return code != ClientErrorCode::None; }
    // Translated: "The server refused the connection (HTTP 409): Failed to create producer/consumer: ..."
    QString text() const;

    static ClientError make(ClientErrorCode code, const QString &detail = QString());
    static ClientError handshake(int status, const QString &serverMessage, const QString &detail = QString());
};

// Classifies a socket failure of a connection attempt.
ClientErrorCode clientErrorCodeFor(QAbstractSocket::SocketError error);

// Removes secrets from text bound for a log or an error: the value of every token= query item and the credential
// after "Bearer ". Applied to every URL and Qt error string this library reports.
QString redactSecrets(const QString &text);

} // namespace Pulsar

Q_DECLARE_METATYPE(Pulsar::ClientError)
