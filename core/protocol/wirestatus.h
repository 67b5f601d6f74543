#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

// Pulsar's WebSocket error vocabulary as data that the client and the proxy share:
// the numeric WebSocketError codes 1-8 (spec 5.3), the handshake statuses (spec 5.1) and the
// after-upgrade close behaviour (spec 5.2).
namespace Pulsar {

// WS/WebSocketError.java. Only 3, 4, 7 and 8 still appear on the wire (as "send-error:N" or close status).
enum class WebSocketError
{
    FailedToCreateProducer = 1,
    FailedToSubscribe = 2,
    FailedToDeserializeFromJson = 3,
    FailedToSerializeToJson = 4,
    AuthenticationError = 5,
    NotAuthorizedError = 6,
    PayloadEncodingError = 7,
    UnknownError = 8,
};

// Pulsar's own description, as it would appear in a close reason ("Failed to de-serialize from JSON").
QString webSocketErrorDescription(WebSocketError error);
// Translated, for people.
QString webSocketErrorDisplayText(WebSocketError error);

// "ok" or "send-error:<N>", the producer ack's result field.
inline constexpr char kResultOk[] = "ok";
QString sendErrorResult(WebSocketError error);
// Parses a producer ack result: nullopt for "ok", the code for "send-error:N", UnknownError for anything else
// (a result string this vocabulary does not know is still a failure).
std::optional<WebSocketError> parseSendResult(const QString &result);

// Why a handshake was refused, with the HTTP status Pulsar answers and the message it puts in the body.
enum class HandshakeFailure
{
    AuthenticationFailed, // 401 "Failed to authenticate"
    NotAuthorized,        // 403 "Not authorized"
    AuthorizationError,   // 500 "Server error"
    InvalidQueryParams,   // 400 "Invalid query params: <detail>"
    TopicNotFound,        // 404 "Failed to create producer/consumer: <detail>"
    Conflict,             // 409 same prefix: producer name in use, exclusive subscription busy, type mismatch
    TooManyRequests,      // 429
    ServiceUnavailable,   // 503: backlog quota, terminated topic (producer)
    Timeout,              // 504
    ServerError,          // 500 "Failed to create producer/consumer: <detail>"
    ReaderFailed,         // 500 "Failed to create reader: <detail>"
    MalformedRequest,     // 500 Jetty error page naming the exception (path parse errors, spec 1.3)
    NotFound,             // 404 unknown path
    MethodNotAllowed,     // 405 plain GET on a WebSocket path
};

int httpStatusFor(HandshakeFailure failure);
// The standard reason phrase for an HTTP status ("Conflict" for 409), as Jetty writes it in the status line.
QByteArray httpReasonPhrase(int status);

// Builds the message Pulsar sends for a refused handshake, e.g.
// handshakeMessage(Conflict, "Exclusive consumer is already connected", Consumer)
//   -> "Failed to create producer/consumer: Exclusive consumer is already connected".
QString handshakeMessage(HandshakeFailure failure, const QString &detail);

// The HTML body that Jetty's default error handler writes: the message appears in <title> and in a <pre>.
// Clients that read the body (our client does) extract the message with extractHandshakeMessage().
QByteArray handshakeErrorBody(int status, const QString &message);
// Inverse of handshakeErrorBody for Jetty's page and for plain-text or {"reason":...} bodies.
QString extractHandshakeMessage(const QByteArray &body);

// Pulsar puts a broker's refusal in the Java client's JSON form behind the prefix:
//   Failed to create producer/consumer: {"errorMsg":"Exclusive consumer is already connected","reqId":1, ...}
// For people, the JSON is noise: this returns the message with the object replaced by its errorMsg
// ("Failed to create producer/consumer: Exclusive consumer is already connected"). Other text comes back unchanged.
QString readableHandshakeMessage(const QString &message);

// WebSocket close codes Pulsar's sessions end with (spec 5.2).
namespace CloseCode {
inline constexpr int Normal = 1000;
inline constexpr int GoingAway = 1001;     // idle timeout
inline constexpr int NoStatus = 1005;      // empty close frame (era M, the "status 3/4" cases)
inline constexpr int Abnormal = 1006;      // TCP dropped without a close frame (era R, the "status 3/4" cases)
inline constexpr int TooBig = 1009;        // text message above the frame size limit
inline constexpr int InternalError = 1011; // the handler threw
} // namespace CloseCode

// The reason Jetty gives for a 1009 close: "Text message size [N] exceeds maximum size [M]".
QString messageTooBigReason(qint64 size, qint64 limit);
// The reason Jetty 9 gives for an idle close.
QString idleTimeoutReason(qint64 timeoutMs);

} // namespace Pulsar
