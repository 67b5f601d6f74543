#include "httpmessage.h"

#include "protocol/wirestatus.h"

namespace Proxy {

QByteArray HttpRequestHead::rawPath() const
{
    const int q = rawTarget.indexOf('?');
    return q < 0 ? rawTarget : rawTarget.left(q);
}

QByteArray HttpRequestHead::rawQuery() const
{
    const int q = rawTarget.indexOf('?');
    return q < 0 ? QByteArray() : rawTarget.mid(q + 1);
}

QList<QPair<QString, QString>> HttpRequestHead::queryItems() const
{
    QList<QPair<QString, QString>> items;
    const QByteArray query = rawQuery();
    if (query.isEmpty())
        return items;
    for (const QByteArray &part : query.split('&')) {
        if (part.isEmpty())
            continue;
        const int eq = part.indexOf('=');
        if (eq < 0)
            items.append({formDecode(part), QString()});
        else
            items.append({formDecode(QByteArrayView(part).first(eq)), formDecode(QByteArrayView(part).sliced(eq + 1))});
    }
    return items;
}

std::optional<QByteArray> HttpRequestHead::header(QByteArrayView lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return std::nullopt;
}

bool HttpRequestHead::isWebSocketUpgrade() const
{
    const auto upgrade = header("upgrade");
    return upgrade && upgrade->trimmed().compare("websocket", Qt::CaseInsensitive) == 0;
}

qint64 HttpRequestHead::contentLength() const
{
    const auto value = header("content-length");
    if (!value)
        return -1;
    bool ok = false;
    const qint64 length = value->toLongLong(&ok);
    return ok && length >= 0 ? length : -1;
}

HttpHeadParser::State HttpHeadParser::parse(const QByteArray &bytes)
{
    const int end = bytes.indexOf("\r\n\r\n");
    if (end < 0)
        return bytes.size() > m_maxHeadBytes ? State::TooLarge : State::NeedMore;
    if (end + 4 > m_maxHeadBytes)
        return State::TooLarge;

    m_head = HttpRequestHead();
    m_headSize = end + 4;
    const QList<QByteArray> lines = bytes.left(end).split('\n');
    if (lines.isEmpty())
        return State::Malformed;

    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || requestLine[0].isEmpty() || !requestLine[1].startsWith('/') ||
        !requestLine[2].startsWith("HTTP/1."))
        return State::Malformed;
    m_head.method = requestLine[0];
    m_head.rawTarget = requestLine[1];
    m_head.version = requestLine[2];

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].endsWith('\r') ? lines[i].chopped(1) : lines[i];
        if (line.isEmpty())
            continue;
        const int colon = line.indexOf(':');
        if (colon <= 0)
            return State::Malformed;
        m_head.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    return State::Complete;
}

static int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

QString formDecode(QByteArrayView raw)
{
    QByteArray out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '+') {
            out.append(' ');
        } else if (c == '%' && i + 2 < raw.size() && hexValue(raw[i + 1]) >= 0 && hexValue(raw[i + 2]) >= 0) {
            out.append(char(hexValue(raw[i + 1]) * 16 + hexValue(raw[i + 2])));
            i += 2;
        } else {
            out.append(c);
        }
    }
    return QString::fromUtf8(out);
}

QByteArray httpResponse(int status, const QByteArray &contentType, const QByteArray &body,
                        const QList<QPair<QByteArray, QByteArray>> &extraHeaders, bool closeConnection)
{
    QByteArray out;
    out.reserve(160 + body.size());
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + Pulsar::httpReasonPhrase(status) + "\r\n";
    if (!contentType.isEmpty())
        out += "Content-Type: " + contentType + "\r\n";
    for (const auto &h : extraHeaders)
        out += h.first + ": " + h.second + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (closeConnection)
        out += "Connection: close\r\n";
    out += "\r\n";
    out += body;
    return out;
}

} // namespace Proxy
