#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace Pulsar {

// An append-only JSON writer into one UTF-8 buffer, for the encode side of every frame. Fields come out in call
// order and strings are escaped exactly as Jackson escapes them (", \, \b \f \n \r \t, other controls as \u00XX
// with uppercase hex; '/' and non-ASCII written raw), so our bytes equal Pulsar's. No validation: the caller
// writes a well-formed sequence (begin/end balanced, names only inside objects). Field names passed as
// `const char *` are trusted ASCII literals and written unescaped; dynamic names go through key().
class JsonWriter
{
public:
    explicit JsonWriter(qsizetype reserve = 256);

    void beginObject();
    void beginObject(const char *name);
    void endObject();
    void beginArray();
    void beginArray(const char *name);
    void endArray();

    // A dynamic object key (escaped), followed by exactly one value call.
    void key(QStringView name);

    void value(QStringView s);
    void value(const QString &s) { value(QStringView(s)); }
    void valueUtf8(QByteArrayView utf8);
    void value(qint64 v);
    void value(int v) { value(qint64(v)); }
    void value(bool v);
    void valueNull();

    void field(const char *name, QStringView s);
    void field(const char *name, const QString &s) { field(name, QStringView(s)); }
    void fieldUtf8(const char *name, QByteArrayView utf8);
    void field(const char *name, qint64 v);
    void field(const char *name, int v) { field(name, qint64(v)); }
    void field(const char *name, bool v);
    void fieldNull(const char *name);
    // Already-base64 (or otherwise JSON-safe ASCII) text, appended between quotes without any check.
    void fieldRaw(const char *name, QByteArrayView ascii);
    // Bytes encoded as standard padded base64 straight into the buffer.
    void fieldBase64(const char *name, QByteArrayView bytes);
    void field(const char *name, const QStringList &strings);
    // A string-to-string object in the given order.
    void field(const char *name, const QList<QPair<QString, QString>> &map);

    // What has been written so far (valid until the next write).
    QByteArrayView view() const { return QByteArrayView(m_buf.constData(), m_size); }
    // The finished bytes; the writer is empty afterwards.
    QByteArray take();

private:
    char *reserveTail(qsizetype n);
    void commit(char *end) { m_size = end - m_buf.data(); }
    void separator();
    void name(const char *name);
    void appendAscii(const char *s, qsizetype n);
    void appendChar(char c);
    void appendEscaped(QStringView s);
    void appendEscapedUtf8(QByteArrayView utf8);

    QByteArray m_buf;
    qsizetype m_size = 0;
    bool m_needComma = false;
};

} // namespace Pulsar
