#include "brokermessage.h"

#include <QtEndian>

#include <cstring>

namespace Proxy {

namespace {

constexpr quint8 kFormatVersion = 1;
constexpr quint8 kHasKey = 0x01;
constexpr quint8 kEncrypted = 0x02; // an encryption block follows the payload

// True when every UTF-16 unit is ASCII: then the UTF-8 bytes are the units themselves and no conversion (and no
// temporary QByteArray) is needed. Names, keys and property strings almost always are.
bool isAscii(QStringView s)
{
    for (const QChar c : s) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

// encode() runs once per published message, so it writes in two passes over the same code: the first only
// counts (SizeSink), the second writes into one buffer of exactly that size (WriteSink). One allocation per
// message instead of one per field and string.
class SizeSink
{
public:
    void raw(const char *, qsizetype n) { m_size += n; }
    void string(QStringView s) { m_size += 4 + (isAscii(s) ? s.size() : s.toUtf8().size()); }
    qsizetype size() const { return m_size; }

private:
    qsizetype m_size = 0;
};

class WriteSink
{
public:
    explicit WriteSink(char *out)
        : m_p(out)
    {}
    void raw(const char *data, qsizetype n)
    {
        if (n > 0)
            std::memcpy(m_p, data, size_t(n));
        m_p += n;
    }
    void string(QStringView s)
    {
        if (isAscii(s)) {
            qToLittleEndian(quint32(s.size()), m_p);
            m_p += 4;
            for (const QChar c : s)
                *m_p++ = char(c.unicode());
            return;
        }
        const QByteArray utf8 = s.toUtf8();
        qToLittleEndian(quint32(utf8.size()), m_p);
        m_p += 4;
        raw(utf8.constData(), utf8.size());
    }

private:
    char *m_p;
};

template<typename Sink>
class Writer
{
public:
    explicit Writer(Sink &sink)
        : m_sink(sink)
    {}
    void u8(quint8 v)
    {
        const char c = char(v);
        m_sink.raw(&c, 1);
    }
    void i64(qint64 v)
    {
        char buf[8];
        qToLittleEndian(v, buf);
        m_sink.raw(buf, 8);
    }
    void bytes(const QByteArray &b)
    {
        u32(quint32(b.size()));
        m_sink.raw(b.constData(), b.size());
    }
    void string(const QString &s) { m_sink.string(s); }
    void u32(quint32 v)
    {
        char buf[4];
        qToLittleEndian(v, buf);
        m_sink.raw(buf, 4);
    }

private:
    Sink &m_sink;
};

template<typename Sink>
void encodeInto(const BrokerMessage &m, Sink &sink)
{
    Writer<Sink> w(sink);
    w.u8(kFormatVersion);
    w.u8(quint8((m.key ? kHasKey : 0) | (m.encryption ? kEncrypted : 0)));
    w.i64(m.publishTimeMs);
    w.i64(m.eventTimeMs);
    w.i64(m.deliverAtMs);
    w.i64(m.sequenceId);
    w.string(m.producerName);
    if (m.key)
        w.string(*m.key);
    w.u32(quint32(m.properties.size()));
    for (const auto &p : m.properties) {
        w.string(p.first);
        w.string(p.second);
    }
    w.u32(quint32(m.replicationClusters.size()));
    for (const QString &c : m.replicationClusters)
        w.string(c);
    w.bytes(m.payload);
    if (m.encryption) {
        w.u32(quint32(m.encryption->keys.size()));
        for (const auto &k : m.encryption->keys) {
            w.string(k.name);
            w.bytes(k.keyValue);
            w.u32(quint32(k.metadata.size()));
            for (const auto &md : k.metadata) {
                w.string(md.first);
                w.string(md.second);
            }
        }
        w.bytes(m.encryption->param);
        w.string(m.encryption->compressionType);
        w.u32(quint32(m.encryption->uncompressedSize));
    }
}

class Reader
{
public:
    explicit Reader(const QByteArray &bytes)
        : m_data(bytes.constData())
        , m_left(bytes.size())
    {}
    bool ok() const { return m_ok; }
    quint8 u8()
    {
        if (!need(1))
            return 0;
        const quint8 v = quint8(*m_data);
        advance(1);
        return v;
    }
    qint64 i64()
    {
        if (!need(8))
            return 0;
        const qint64 v = qFromLittleEndian<qint64>(m_data);
        advance(8);
        return v;
    }
    quint32 u32()
    {
        if (!need(4))
            return 0;
        const quint32 v = qFromLittleEndian<quint32>(m_data);
        advance(4);
        return v;
    }
    QByteArray bytes()
    {
        const quint32 size = u32();
        if (!need(qsizetype(size)))
            return QByteArray();
        QByteArray b(m_data, qsizetype(size));
        advance(size);
        return b;
    }
    QString string() { return QString::fromUtf8(bytes()); }

private:
    bool need(qsizetype n)
    {
        if (n > m_left)
            m_ok = false;
        return m_ok;
    }
    void advance(qsizetype n)
    {
        m_data += n;
        m_left -= n;
    }
    const char *m_data;
    qsizetype m_left;
    bool m_ok = true;
};

} // namespace

QByteArray BrokerMessage::encode() const
{
    SizeSink size;
    encodeInto(*this, size);
    QByteArray out(size.size(), Qt::Uninitialized);
    WriteSink write(out.data());
    encodeInto(*this, write);
    return out;
}

std::optional<BrokerMessage> BrokerMessage::decode(const QByteArray &bytes)
{
    Reader r(bytes);
    if (r.u8() != kFormatVersion)
        return std::nullopt;
    BrokerMessage m;
    const quint8 flags = r.u8();
    m.publishTimeMs = r.i64();
    m.eventTimeMs = r.i64();
    m.deliverAtMs = r.i64();
    m.sequenceId = r.i64();
    m.producerName = r.string();
    if (flags & kHasKey)
        m.key = r.string();
    const quint32 propertyCount = r.u32();
    // Each property needs at least 8 bytes, so a count larger than the record is corruption, not a reason to
    // reserve gigabytes.
    if (!r.ok() || qsizetype(propertyCount) > bytes.size() / 8)
        return std::nullopt;
    m.properties.reserve(propertyCount);
    for (quint32 i = 0; i < propertyCount && r.ok(); ++i) {
        QString name = r.string();
        QString value = r.string();
        m.properties.append({std::move(name), std::move(value)});
    }
    const quint32 clusterCount = r.u32();
    if (!r.ok() || qsizetype(clusterCount) > bytes.size() / 4)
        return std::nullopt;
    for (quint32 i = 0; i < clusterCount && r.ok(); ++i)
        m.replicationClusters.append(r.string());
    m.payload = r.bytes();
    if (flags & kEncrypted) {
        BrokerMessage::Encryption e;
        const quint32 keyCount = r.u32();
        if (!r.ok() || qsizetype(keyCount) > bytes.size() / 12)
            return std::nullopt;
        for (quint32 i = 0; i < keyCount && r.ok(); ++i) {
            Pulsar::EncryptionKeyEntry k;
            k.name = r.string();
            k.keyValue = r.bytes();
            const quint32 metadataCount = r.u32();
            if (!r.ok() || qsizetype(metadataCount) > bytes.size() / 8)
                return std::nullopt;
            for (quint32 j = 0; j < metadataCount && r.ok(); ++j) {
                QString name = r.string();
                QString value = r.string();
                k.metadata.append({std::move(name), std::move(value)});
            }
            e.keys.append(std::move(k));
        }
        e.param = r.bytes();
        e.compressionType = r.string();
        e.uncompressedSize = int(r.u32());
        m.encryption = std::move(e);
    }
    if (!r.ok())
        return std::nullopt;
    return m;
}

} // namespace Proxy
