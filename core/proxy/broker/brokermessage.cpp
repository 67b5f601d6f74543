#include "brokermessage.h"

#include <QtEndian>

#include <cstring>

namespace Proxy {

namespace {

constexpr quint8 kFormatVersion = 1;
constexpr quint8 kHasKey = 0x01;
constexpr quint8 kEncrypted = 0x02; // an encryption block follows the payload

class Writer
{
public:
    explicit Writer(qsizetype reserve) { m_bytes.reserve(reserve); }
    void u8(quint8 v) { m_bytes.append(char(v)); }
    void i64(qint64 v)
    {
        char buf[8];
        qToLittleEndian(v, buf);
        m_bytes.append(buf, 8);
    }
    void bytes(const QByteArray &b)
    {
        u32(quint32(b.size()));
        m_bytes.append(b);
    }
    void string(const QString &s) { bytes(s.toUtf8()); }
    void u32(quint32 v)
    {
        char buf[4];
        qToLittleEndian(v, buf);
        m_bytes.append(buf, 4);
    }
    QByteArray take() { return std::move(m_bytes); }

private:
    QByteArray m_bytes;
};

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
    Writer w(64 + payload.size());
    w.u8(kFormatVersion);
    w.u8(quint8((key ? kHasKey : 0) | (encryption ? kEncrypted : 0)));
    w.i64(publishTimeMs);
    w.i64(eventTimeMs);
    w.i64(deliverAtMs);
    w.i64(sequenceId);
    w.string(producerName);
    if (key)
        w.string(*key);
    w.u32(quint32(properties.size()));
    for (const auto &p : properties) {
        w.string(p.first);
        w.string(p.second);
    }
    w.u32(quint32(replicationClusters.size()));
    for (const QString &c : replicationClusters)
        w.string(c);
    w.bytes(payload);
    if (encryption) {
        w.u32(quint32(encryption->keys.size()));
        for (const auto &k : encryption->keys) {
            w.string(k.name);
            w.bytes(k.keyValue);
            w.u32(quint32(k.metadata.size()));
            for (const auto &m : k.metadata) {
                w.string(m.first);
                w.string(m.second);
            }
        }
        w.bytes(encryption->param);
        w.string(encryption->compressionType);
        w.u32(quint32(encryption->uncompressedSize));
    }
    return w.take();
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
