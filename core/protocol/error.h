#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace Pulsar {

// What went wrong, as a stable enum that callers can switch on. The accompanying text (Error::message)
// is the detail: for anything that travels on the wire it is Pulsar's own English text, byte for byte,
// because servers send it and clients compare against it.
enum class ErrorCode
{
    None,
    InvalidTopicName,
    InvalidNamespaceName,
    InvalidServiceUrl,
    InvalidPath,        // a WebSocket path that Pulsar cannot parse (HTTP 500 on the server)
    EmptySubscription,  // HTTP 400 "Invalid query params: Empty subscription name"
    InvalidQueryParams, // HTTP 400 "Invalid query params: <detail>"
    InvalidJson,        // the text is not JSON, or JSON of the wrong shape (WebSocketError 3)
    InvalidPayload,     // base64, null payload, bad eventTime ... (WebSocketError 7)
    InvalidBase64,
    InvalidMessageId,
    InvalidTime,
    InvalidField,
};

// An error value: an enum for code, Pulsar's detail text for people and peers.
struct Error
{
    ErrorCode code = ErrorCode::None;
    QString message;

    // A short, translated sentence naming the kind of problem (for UI titles); message holds the detail.
    QString description() const;
    friend bool operator==(const Error &a, const Error &b) { return a.code == b.code && a.message == b.message; }
};

// Either a value or an Error. Small on purpose: the protocol layer only needs "did it parse, and if not, why".
template<typename T>
class Result
{
public:
    Result(T value)
        : m_state(std::move(value))
    {}
    Result(Error error)
        : m_state(std::move(error))
    {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_state); }
    T &value() & { return std::get<T>(m_state); }
    T &&value() && { return std::get<T>(std::move(m_state)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

inline Error makeError(ErrorCode code, QString message)
{
    return Error{code, std::move(message)};
}

} // namespace Pulsar
