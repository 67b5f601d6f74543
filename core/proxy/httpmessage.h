#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace Proxy {

// The head of an HTTP/1.1 request as it arrived: the raw, still percent-encoded target is kept because
// Pulsar's path parsing (spec 1.3) works on the raw path.
struct HttpRequestHead
{
    QByteArray method;
    QByteArray rawTarget;                         // "/ws/v2/producer/persistent/t/ns/x?token=..."
    QByteArray version;                           // "HTTP/1.1"
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed, in order

    QByteArray rawPath() const;  // target up to '?'
    QByteArray rawQuery() const; // after '?', without it
    // Query items decoded with form semantics ('+' is a space), in order; repeated names are kept.
    QList<QPair<QString, QString>> queryItems() const;
    std::optional<QByteArray> header(QByteArrayView lowerName) const;
    bool isWebSocketUpgrade() const;
    qint64 contentLength() const; // -1 when absent or invalid
};

// Incremental parser: feed it the bytes peeked so far; it says whether the head is complete, too large, or
// malformed. Bounded: a head above maxHeadBytes is refused.
class HttpHeadParser final
{
public:
    enum class State
    {
        NeedMore,
        Complete,
        TooLarge,
        Malformed
    };

    explicit HttpHeadParser(int maxHeadBytes = 64 * 1024)
        : m_maxHeadBytes(maxHeadBytes)
    {}

    // Looks at `bytes` (everything received so far); on Complete, head() is filled and headSize() is the
    // number of bytes the head occupies.
    State parse(const QByteArray &bytes);
    const HttpRequestHead &head() const { return m_head; }
    int headSize() const { return m_headSize; }

private:
    int m_maxHeadBytes;
    int m_headSize = 0;
    HttpRequestHead m_head;
};

// Decodes application/x-www-form-urlencoded text ('+' -> space, %XX as UTF-8), leniently: a malformed escape is
// kept as-is. Used for query strings, where Jetty is lenient too.
QString formDecode(QByteArrayView raw);

// A complete HTTP/1.1 response.
QByteArray httpResponse(int status, const QByteArray &contentType, const QByteArray &body,
                        const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {}, bool closeConnection = false);

} // namespace Proxy
