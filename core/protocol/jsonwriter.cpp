#include "jsonwriter.h"

#include <charconv>
#include <cstring>

namespace Pulsar {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

// Jackson's output escape table for ASCII: 0 = write as is, a letter = two-character escape, 'u' = \u00XX.
struct EscapeTable
{
    char v[128];
    constexpr EscapeTable()
        : v()
    {
        for (int i = 0; i < 128; ++i)
            v[i] = i < 0x20 ? 'u' : 0;
        v[int('"')] = '"';
        v[int('\\')] = '\\';
        v[0x08] = 'b';
        v[0x09] = 't';
        v[0x0C] = 'f';
        v[0x0A] = 'n';
        v[0x0D] = 'r';
    }
};
constexpr EscapeTable kEscapes;

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Writes one escaped ASCII character; returns the new end.
inline char *writeAsciiEscaped(char *out, uchar c)
{
    const char e = kEscapes.v[c];
    if (!e) {
        *out++ = char(c);
    } else if (e != 'u') {
        *out++ = '\\';
        *out++ = e;
    } else {
        std::memcpy(out, "\\u00", 4);
        out[4] = kHex[c >> 4];
        out[5] = kHex[c & 0xF];
        out += 6;
    }
    return out;
}

} // namespace

JsonWriter::JsonWriter(qsizetype reserve)
{
    m_buf.resize(qMax<qsizetype>(reserve, 16));
}

char *JsonWriter::reserveTail(qsizetype n)
{
    if (m_size + n > m_buf.size())
        m_buf.resize(qMax(m_buf.size() * 2, m_size + n));
    return m_buf.data() + m_size;
}

void JsonWriter::appendAscii(const char *s, qsizetype n)
{
    char *out = reserveTail(n);
    std::memcpy(out, s, size_t(n));
    m_size += n;
}

void JsonWriter::appendChar(char c)
{
    *reserveTail(1) = c;
    ++m_size;
}

void JsonWriter::separator()
{
    if (m_needComma)
        appendChar(',');
    m_needComma = true;
}

void JsonWriter::name(const char *name)
{
    separator();
    const qsizetype n = qsizetype(std::strlen(name));
    char *out = reserveTail(n + 3);
    *out++ = '"';
    std::memcpy(out, name, size_t(n));
    out += n;
    *out++ = '"';
    *out++ = ':';
    commit(out);
    // The value that follows must not write another comma.
    m_needComma = false;
}

void JsonWriter::appendEscaped(QStringView s)
{
    // Worst case: 6 bytes per UTF-16 unit (\u00XX), plus the quotes.
    char *out = reserveTail(s.size() * 6 + 2);
    *out++ = '"';
    const char16_t *p = s.utf16();
    const char16_t *end = p + s.size();
    while (p < end) {
        const char16_t c = *p++;
        if (c < 0x80) {
            out = writeAsciiEscaped(out, uchar(c));
        } else if (c < 0x800) {
            *out++ = char(0xC0 | (c >> 6));
            *out++ = char(0x80 | (c & 0x3F));
        } else if (c >= 0xD800 && c <= 0xDBFF && p < end && *p >= 0xDC00 && *p <= 0xDFFF) {
            const char32_t cp = 0x10000 + ((char32_t(c) - 0xD800) << 10) + (char32_t(*p++) - 0xDC00);
            *out++ = char(0xF0 | (cp >> 18));
            *out++ = char(0x80 | ((cp >> 12) & 0x3F));
            *out++ = char(0x80 | ((cp >> 6) & 0x3F));
            *out++ = char(0x80 | (cp & 0x3F));
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            // A lone surrogate has no UTF-8 form; U+FFFD as QString::toUtf8 writes it.
            *out++ = char(0xEF);
            *out++ = char(0xBF);
            *out++ = char(0xBD);
        } else {
            *out++ = char(0xE0 | (c >> 12));
            *out++ = char(0x80 | ((c >> 6) & 0x3F));
            *out++ = char(0x80 | (c & 0x3F));
        }
    }
    *out++ = '"';
    commit(out);
}

void JsonWriter::appendEscapedUtf8(QByteArrayView utf8)
{
    char *out = reserveTail(utf8.size() * 6 + 2);
    *out++ = '"';
    const auto *p = reinterpret_cast<const uchar *>(utf8.data());
    const auto *end = p + utf8.size();
    while (p < end) {
        const uchar c = *p++;
        if (c < 0x80)
            out = writeAsciiEscaped(out, c);
        else
            *out++ = char(c); // multi-byte UTF-8 passes through untouched
    }
    *out++ = '"';
    commit(out);
}

void JsonWriter::beginObject()
{
    separator();
    appendChar('{');
    m_needComma = false;
}

void JsonWriter::beginObject(const char *fieldName)
{
    name(fieldName);
    appendChar('{');
}

void JsonWriter::endObject()
{
    appendChar('}');
    m_needComma = true;
}

void JsonWriter::beginArray()
{
    separator();
    appendChar('[');
    m_needComma = false;
}

void JsonWriter::beginArray(const char *fieldName)
{
    name(fieldName);
    appendChar('[');
}

void JsonWriter::endArray()
{
    appendChar(']');
    m_needComma = true;
}

void JsonWriter::key(QStringView keyName)
{
    separator();
    appendEscaped(keyName);
    appendChar(':');
    m_needComma = false;
}

void JsonWriter::value(QStringView s)
{
    separator();
    appendEscaped(s);
}

void JsonWriter::valueUtf8(QByteArrayView utf8)
{
    separator();
    appendEscapedUtf8(utf8);
}

void JsonWriter::value(qint64 v)
{
    separator();
    char *out = reserveTail(20);
    commit(std::to_chars(out, out + 20, v).ptr);
}

void JsonWriter::value(bool v)
{
    separator();
    if (v)
        appendAscii("true", 4);
    else
        appendAscii("false", 5);
}

void JsonWriter::valueNull()
{
    separator();
    appendAscii("null", 4);
}

void JsonWriter::field(const char *fieldName, QStringView s)
{
    name(fieldName);
    value(s);
}

void JsonWriter::fieldUtf8(const char *fieldName, QByteArrayView utf8)
{
    name(fieldName);
    valueUtf8(utf8);
}

void JsonWriter::field(const char *fieldName, qint64 v)
{
    name(fieldName);
    value(v);
}

void JsonWriter::field(const char *fieldName, bool v)
{
    name(fieldName);
    value(v);
}

void JsonWriter::fieldNull(const char *fieldName)
{
    name(fieldName);
    valueNull();
}

void JsonWriter::fieldRaw(const char *fieldName, QByteArrayView ascii)
{
    name(fieldName);
    separator();
    char *out = reserveTail(ascii.size() + 2);
    *out++ = '"';
    if (!ascii.isEmpty())
        std::memcpy(out, ascii.data(), size_t(ascii.size()));
    out += ascii.size();
    *out++ = '"';
    commit(out);
}

void JsonWriter::fieldBase64(const char *fieldName, QByteArrayView bytes)
{
    name(fieldName);
    separator();
    const qsizetype n = bytes.size();
    char *out = reserveTail((n + 2) / 3 * 4 + 2);
    *out++ = '"';
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    qsizetype i = 0;
    for (; i + 3 <= n; i += 3) {
        const quint32 v = (quint32(p[i]) << 16) | (quint32(p[i + 1]) << 8) | p[i + 2];
        out[0] = kBase64[v >> 18];
        out[1] = kBase64[(v >> 12) & 0x3F];
        out[2] = kBase64[(v >> 6) & 0x3F];
        out[3] = kBase64[v & 0x3F];
        out += 4;
    }
    if (n - i == 1) {
        const quint32 v = quint32(p[i]) << 16;
        out[0] = kBase64[v >> 18];
        out[1] = kBase64[(v >> 12) & 0x3F];
        out[2] = '=';
        out[3] = '=';
        out += 4;
    } else if (n - i == 2) {
        const quint32 v = (quint32(p[i]) << 16) | (quint32(p[i + 1]) << 8);
        out[0] = kBase64[v >> 18];
        out[1] = kBase64[(v >> 12) & 0x3F];
        out[2] = kBase64[(v >> 6) & 0x3F];
        out[3] = '=';
        out += 4;
    }
    *out++ = '"';
    commit(out);
}

void JsonWriter::field(const char *fieldName, const QStringList &strings)
{
    beginArray(fieldName);
    for (const QString &s : strings)
        value(s);
    endArray();
}

void JsonWriter::field(const char *fieldName, const QList<QPair<QString, QString>> &map)
{
    beginObject(fieldName);
    for (const auto &entry : map) {
        key(entry.first);
        value(entry.second);
    }
    endObject();
}

QByteArray JsonWriter::take()
{
    m_buf.resize(m_size);
    QByteArray out = std::move(m_buf);
    m_buf = QByteArray();
    m_size = 0;
    m_needComma = false;
    return out;
}

} // namespace Pulsar
