#include "models/payloadcodec.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

namespace Gui {

namespace {

PayloadResult failure(const QString &text, qsizetype position = -1)
{
    PayloadResult result;
    result.error.text = text;
    result.error.position = position;
    return result;
}

PayloadResult success(QByteArray bytes)
{
    PayloadResult result;
    result.bytes = std::move(bytes);
    return result;
}

// QJsonParseError::offset counts UTF-8 bytes; the editor counts UTF-16 code units. Converting the prefix keeps
// the position right for non-ASCII text, so the panel can put the cursor on the offending character.
qsizetype characterOffset(const QByteArray &utf8, qsizetype byteOffset)
{
    return QString::fromUtf8(utf8.constData(), std::min(byteOffset, utf8.size())).size();
}

// Line and column (1-based) of a character offset, for an error a person can find.
void lineAndColumn(const QString &text, qsizetype offset, int &line, int &column)
{
    line = 1;
    column = 1;
    for (qsizetype i = 0; i < offset && i < text.size(); ++i) {
        if (text.at(i) == u'\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
}

PayloadResult jsonFailure(const QString &text, const QByteArray &utf8, const QJsonParseError &parseError,
                          qsizetype byteShift)
{
    const qsizetype byteOffset = std::clamp<qsizetype>(parseError.offset - byteShift, 0, utf8.size());
    const qsizetype offset = characterOffset(utf8, byteOffset);
    int line = 0;
    int column = 0;
    lineAndColumn(text, offset, line, column);
    return failure(PayloadCodec::tr("Invalid JSON at line %1, column %2 (position %3): %4")
                       .arg(line)
                       .arg(column)
                       .arg(offset + 1)
                       .arg(parseError.errorString()),
                   offset);
}

// Validates without keeping the parsed document: the bytes sent are the user's own, so key order, repeated keys
// and numbers beyond double precision reach the topic exactly as typed.
PayloadResult parseJson(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    QJsonParseError parseError;
    QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error == QJsonParseError::NoError)
        return success(utf8);
    // QJsonDocument only takes an object or an array at the top; RFC 8259 also allows a scalar ("42", "\"x\"").
    // Such a text is valid when it is exactly one element of an array.
    const QString trimmed = text.trimmed();
    if (!trimmed.startsWith(u'{') && !trimmed.startsWith(u'[')) {
        QJsonParseError wrappedError;
        QByteArray wrappedText;
        wrappedText.reserve(utf8.size() + 2);
        wrappedText.append('[').append(utf8).append(']');
        const QJsonDocument wrapped = QJsonDocument::fromJson(wrappedText, &wrappedError);
        if (wrappedError.error == QJsonParseError::NoError) {
            if (wrapped.array().size() == 1)
                return success(utf8);
        } else {
            return jsonFailure(text, utf8, wrappedError, 1);
        }
    }
    return jsonFailure(text, utf8, parseError, 0);
}

// Re-indents valid JSON token by token (4 spaces, one member or element per line, "key": value), leaving every
// token as the user wrote it.
QString reindentJson(const QString &text)
{
    QString out;
    out.reserve(text.size() * 2);
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    bool afterOpen = false;
    const auto newline = [&out](int level) {
        out += u'\n';
        out += QString(level * 4, u' ');
    };
    for (const QChar c : text) {
        if (inString) {
            out += c;
            if (escaped)
                escaped = false;
            else if (c == u'\\')
                escaped = true;
            else if (c == u'"')
                inString = false;
            continue;
        }
        if (c == u' ' || c == u'\t' || c == u'\n' || c == u'\r')
            continue;
        if (c == u'}' || c == u']') {
            --depth;
            if (!afterOpen)
                newline(depth);
            afterOpen = false;
            out += c;
            continue;
        }
        if (afterOpen) {
            afterOpen = false;
            newline(depth);
        }
        if (c == u'{' || c == u'[') {
            out += c;
            ++depth;
            afterOpen = true;
        } else if (c == u',') {
            out += c;
            newline(depth);
        } else if (c == u':') {
            out += QLatin1String(": ");
        } else {
            if (c == u'"')
                inString = true;
            out += c;
        }
    }
    return out;
}

int hexValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

} // namespace

PayloadResult PayloadCodec::encodeText(const QString &text)
{
    return success(text.toUtf8());
}

PayloadResult PayloadCodec::encodeJson(const QString &text)
{
    return parseJson(text);
}

PayloadResult PayloadCodec::prettyPrintJson(const QString &text)
{
    const PayloadResult result = parseJson(text);
    if (!result.ok())
        return result;
    return success(reindentJson(text).toUtf8());
}

PayloadResult PayloadCodec::encodeHex(const QString &text)
{
    QByteArray bytes;
    bytes.reserve(text.size() / 2);
    int pending = -1; // high nibble waiting for its low nibble
    qsizetype digits = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace() || c == u':' || c == u'-')
            continue;
        // A "0x" prefix is only a prefix at a byte boundary, so "10x" stays an error.
        if (c == u'0' && pending < 0 && i + 1 < text.size() && (text.at(i + 1) == u'x' || text.at(i + 1) == u'X')) {
            ++i;
            continue;
        }
        const int value = hexValue(c);
        if (value < 0)
            return failure(tr("Invalid hex character \"%1\" at position %2").arg(c).arg(i + 1), i);
        ++digits;
        if (pending < 0) {
            pending = value;
        } else {
            bytes.append(char((pending << 4) | value));
            pending = -1;
        }
    }
    if (pending >= 0)
        return failure(tr("Odd number of hex digits (%1): every byte needs two").arg(digits));
    return success(bytes);
}

PayloadResult PayloadCodec::encodeBase64(const QString &text)
{
    // Line breaks and spaces are layout, not data; anything else outside the alphabet is an error.
    QByteArray compact;
    compact.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace())
            continue;
        const char16_t u = c.unicode();
        const bool alphabet = (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') ||
                              u == u'+' || u == u'/' || u == u'=';
        if (!alphabet)
            return failure(tr("Invalid Base64 character \"%1\" at position %2").arg(c).arg(i + 1), i);
        compact.append(char(u));
    }
    if (compact.size() % 4 != 0)
        return failure(tr("Base64 length %1 is not a multiple of 4 (missing padding?)").arg(compact.size()));
    const auto decoded = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return failure(tr("Invalid Base64: padding \"=\" is only allowed at the end"));
    return success(*decoded);
}

PayloadResult PayloadCodec::readFile(const QString &path, qint64 maxSize)
{
    const QFileInfo info(path);
    if (!info.exists() || !info.isFile())
        return failure(tr("File \"%1\" does not exist").arg(path));
    if (info.size() > maxSize)
        return failure(tr("File \"%1\" is %2 bytes, more than the maximum message size of %3 bytes")
                           .arg(info.fileName())
                           .arg(info.size())
                           .arg(maxSize));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(tr("Cannot read \"%1\": %2").arg(info.fileName(), file.errorString()));
    // Read one byte past the cap so a file that grew since stat() is still refused.
    QByteArray bytes = file.read(maxSize + 1);
    if (bytes.size() > maxSize)
        return failure(
            tr("File \"%1\" is more than the maximum message size of %2 bytes").arg(info.fileName()).arg(maxSize));
    return success(bytes);
}

PayloadResult PayloadCodec::encode(PayloadMode mode, const QString &text)
{
    switch (mode) {
    case PayloadMode::Text:
        return encodeText(text);
    case PayloadMode::Json:
        return encodeJson(text);
    case PayloadMode::Hex:
        return encodeHex(text);
    case PayloadMode::Base64:
        return encodeBase64(text);
    case PayloadMode::File:
        break;
    }
    return failure(tr("Choose a file to send"));
}

} // namespace Gui
