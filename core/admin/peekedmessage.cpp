#include "peekedmessage.h"

#include "protocol/options.h"
#include "protocol/timeformat.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

#include <algorithm>

namespace Pulsar {

namespace {

// Just enough protobuf to read SingleMessageMetadata and EncryptionKeys: varints and length-delimited fields; the
// fixed-size wire types are skipped.
class ProtoReader
{
public:
    explicit ProtoReader(QByteArrayView bytes)
        : m_bytes(bytes)
    {}

    bool atEnd() const { return m_pos >= m_bytes.size(); }
    bool failed() const { return m_failed; }

    // The next field's number and wire type; false at the end or on malformed input.
    bool next(int *field, int *wireType)
    {
        if (atEnd())
            return false;
        const quint64 tag = varint();
        if (m_failed || tag == 0)
            return fail();
        *field = int(tag >> 3);
        *wireType = int(tag & 7);
        return true;
    }

    quint64 varint()
    {
        quint64 result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (atEnd()) {
                fail();
                return 0;
            }
            const auto byte = quint8(m_bytes[m_pos++]);
            result |= quint64(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return result;
        }
        fail();
        return 0;
    }

    QByteArrayView bytes()
    {
        const quint64 length = varint();
        if (m_failed || length > quint64(m_bytes.size() - m_pos)) {
            fail();
            return {};
        }
        const QByteArrayView view = m_bytes.sliced(m_pos, qsizetype(length));
        m_pos += qsizetype(length);
        return view;
    }

    void skip(int wireType)
    {
        switch (wireType) {
        case 0:
            varint();
            return;
        case 1:
            advance(8);
            return;
        case 2:
            bytes();
            return;
        case 5:
            advance(4);
            return;
        default:
            fail();
        }
    }

private:
    bool fail()
    {
        m_failed = true;
        return false;
    }
    void advance(qsizetype n)
    {
        if (m_bytes.size() - m_pos < n)
            fail();
        else
            m_pos += n;
    }

    QByteArrayView m_bytes;
    qsizetype m_pos = 0;
    bool m_failed = false;
};

QString utf8(QByteArrayView bytes)
{
    return QString::fromUtf8(bytes.data(), bytes.size());
}

// KeyValue {string key = 1; string value = 2;}
bool readKeyValue(QByteArrayView bytes, QMap<QString, QString> *map)
{
    ProtoReader reader(bytes);
    QString key;
    QString value;
    int field = 0;
    int wire = 0;
    while (reader.next(&field, &wire)) {
        if (field == 1 && wire == 2)
            key = utf8(reader.bytes());
        else if (field == 2 && wire == 2)
            value = utf8(reader.bytes());
        else
            reader.skip(wire);
    }
    if (reader.failed())
        return false;
    map->insert(key, value);
    return true;
}

// SingleMessageMetadata; returns the payload size (field 3, required) or -1 when malformed or missing.
qint64 readSingleMetadata(QByteArrayView bytes, BatchedMessage *message)
{
    ProtoReader reader(bytes);
    qint64 payloadSize = -1;
    int field = 0;
    int wire = 0;
    while (reader.next(&field, &wire)) {
        if (wire == 2 && field == 1) {
            if (!readKeyValue(reader.bytes(), &message->properties))
                return -1;
        } else if (wire == 2 && field == 2) {
            message->key = utf8(reader.bytes());
        } else if (wire == 2 && field == 7) {
            message->orderingKey = reader.bytes().toByteArray();
        } else if (wire == 0) {
            const quint64 v = reader.varint();
            switch (field) {
            case 3:
                payloadSize = qint64(qint32(quint32(v)));
                break;
            case 4:
                message->compactedOut = v != 0;
                break;
            case 5:
                message->eventTime = qint64(v);
                break;
            case 6:
                message->keyBase64Encoded = v != 0;
                break;
            case 8:
                message->sequenceId = qint64(v);
                break;
            case 9:
                message->nullValue = v != 0;
                break;
            case 10:
                message->nullPartitionKey = v != 0;
                break;
            default:
                break;
            }
        } else {
            reader.skip(wire);
        }
    }
    if (reader.failed())
        return -1;
    // Pulsar writes event_time 0 for "not set".
    if (message->eventTime && *message->eventTime == 0)
        message->eventTime.reset();
    return payloadSize;
}

// EncryptionKeys {string key = 1; bytes value = 2; repeated KeyValue metadata = 3;}
bool readEncryptionKey(QByteArrayView bytes, EncryptionKey *key)
{
    ProtoReader reader(bytes);
    int field = 0;
    int wire = 0;
    while (reader.next(&field, &wire)) {
        if (field == 1 && wire == 2)
            key->name = utf8(reader.bytes());
        else if (field == 2 && wire == 2)
            key->value = reader.bytes().toByteArray();
        else if (field == 3 && wire == 2) {
            if (!readKeyValue(reader.bytes(), &key->metadata))
                return false;
        } else
            reader.skip(wire);
    }
    return !reader.failed();
}

// A header value is bytes with no charset. Pulsar's Jetty writes header values in ISO-8859-1 (a character outside it
// goes out as a space), while the bundled service and some gateways send UTF-8. Bytes that are valid UTF-8 are read as
// UTF-8 (ASCII is both); anything else can only be Latin-1, which maps every byte. Latin-1 text that happens to be
// valid UTF-8 too (the bytes C3 A9 are two Latin-1 letters and one UTF-8 one) is read as UTF-8: nothing on the wire
// says which was meant, and such pairs are rare in real text.
QString headerText(QByteArrayView value)
{
    QStringDecoder utf8Decoder(QStringConverter::Utf8, QStringConverter::Flag::Stateless);
    QString text = utf8Decoder(value);
    if (!utf8Decoder.hasError())
        return text;
    return QString::fromLatin1(value.data(), value.size());
}

std::optional<qint64> headerLong(const QByteArray &value)
{
    const auto parsed = parseJavaLong(QString::fromLatin1(value.trimmed()));
    return parsed ? std::optional<qint64>(*parsed) : std::nullopt;
}

std::optional<int> headerInt(const QByteArray &value)
{
    const auto parsed = parseJavaInt(QString::fromLatin1(value.trimmed()));
    return parsed ? std::optional<int>(*parsed) : std::nullopt;
}

// Boolean.parseBoolean: "true" in any case is true, anything else false.
bool headerBool(const QByteArray &value)
{
    return value.trimmed().compare("true", Qt::CaseInsensitive) == 0;
}

// The §3.0 date format; a bare number of milliseconds is accepted too, as some gateways rewrite the header.
std::optional<qint64> headerTime(const QByteArray &value)
{
    const QString text = QString::fromLatin1(value.trimmed());
    const auto parsed = parsePulsarTime(text);
    if (parsed)
        return *parsed;
    return headerLong(value);
}

QByteArray headerBase64(const QByteArray &value)
{
    const auto decoded = decodeBase64Java(QByteArrayView(value.trimmed()));
    return decoded ? *decoded : QByteArray();
}

// QNetworkReply joins repeated headers with ", "; base64 and cluster names contain no comma.
QList<QByteArray> splitRepeated(const QByteArray &value)
{
    QList<QByteArray> parts;
    for (const QByteArray &part : value.split(',')) {
        const QByteArray trimmed = part.trimmed();
        if (!trimmed.isEmpty())
            parts.append(trimmed);
    }
    return parts;
}

AdminError malformed(const QString &detail)
{
    return AdminError{AdminError::MalformedResponse, 0, detail};
}

} // namespace

QByteArray PeekedMessage::keyBytes() const
{
    if (!key)
        return QByteArray();
    if (keyBase64Encoded) {
        const auto decoded = decodeBase64Java(QStringView(*key));
        return decoded ? *decoded : QByteArray();
    }
    return key->toUtf8();
}

std::optional<QList<BatchedMessage>> PeekedMessage::splitBatch(const QByteArray &entry, int count, QString *error)
{
    QList<BatchedMessage> messages;
    qsizetype pos = 0;
    for (int i = 0; i < count; ++i) {
        const auto where = [i]() -> QString {
            return QStringLiteral("Batch message ") + QString::number(i) + QStringLiteral(": ");
        };
        if (entry.size() - pos < 4) {
            *error = where() + QStringLiteral("the entry ends before the metadata size");
            return std::nullopt;
        }
        quint32 size = 0;
        for (int b = 0; b < 4; ++b)
            size = (size << 8) | quint8(entry[pos + b]);
        pos += 4;
        if (qint64(size) > entry.size() - pos) {
            *error = where() + QStringLiteral("metadata size ") + QString::number(size) +
                     QStringLiteral(" exceeds the remaining ") + QString::number(entry.size() - pos) +
                     QStringLiteral(" bytes");
            return std::nullopt;
        }
        BatchedMessage message;
        const qint64 payloadSize = readSingleMetadata(QByteArrayView(entry).sliced(pos, size), &message);
        pos += size;
        if (payloadSize < 0) {
            *error = where() + QStringLiteral("malformed SingleMessageMetadata");
            return std::nullopt;
        }
        if (payloadSize > entry.size() - pos) {
            *error = where() + QStringLiteral("payload size ") + QString::number(payloadSize) +
                     QStringLiteral(" exceeds the remaining ") + QString::number(entry.size() - pos) +
                     QStringLiteral(" bytes");
            return std::nullopt;
        }
        message.payload = entry.mid(pos, payloadSize);
        pos += payloadSize;
        messages.append(std::move(message));
    }
    return messages;
}

std::optional<PeekedMessage> PeekedMessage::fromHttp(const RawHeaders &headers, const QByteArray &body, int partition,
                                                     AdminError *error)
{
    PeekedMessage m;
    m.payload = body;
    static const QByteArray propertyPrefix("x-pulsar-property-");
    QMap<QString, QString> headerProperties;
    std::optional<QByteArray> propertyJson;
    bool haveId = false;

    for (const auto &header : headers) {
        const QByteArray name = header.first.toLower();
        const QByteArray &value = header.second;
        if (!name.startsWith("x-pulsar-"))
            continue;
        m.headers.append(header);
        if (name.startsWith(propertyPrefix)) {
            headerProperties.insert(headerText(header.first.mid(propertyPrefix.size())), headerText(value));
        } else if (name == "x-pulsar-property") {
            propertyJson = value;
        } else if (name == "x-pulsar-message-id") {
            const auto id = MessageId::parse(QString::fromLatin1(value.trimmed()));
            if (!id) {
                *error = malformed(QStringLiteral("X-Pulsar-Message-ID: ") + id.error().message);
                return std::nullopt;
            }
            m.messageId = *id;
            if (m.messageId.partition < 0)
                m.messageId.partition = partition;
            haveId = true;
        } else if (name == "x-pulsar-publish-time") {
            m.publishTime = headerTime(value);
        } else if (name == "x-pulsar-event-time") {
            m.eventTime = headerTime(value);
        } else if (name == "x-pulsar-deliver-at-time") {
            m.deliverAtTime = headerTime(value);
        } else if (name == "x-pulsar-producer-name") {
            m.producerName = headerText(value);
        } else if (name == "x-pulsar-sequence-id") {
            m.sequenceId = headerLong(value);
        } else if (name == "x-pulsar-highest-sequence-id") {
            m.highestSequenceId = headerLong(value);
        } else if (name == "x-pulsar-partition-key") {
            m.key = headerText(value);
        } else if (name == "x-pulsar-partition-key-b64-encoded") {
            m.keyBase64Encoded = headerBool(value);
        } else if (name == "x-pulsar-null-partition-key") {
            m.nullPartitionKey = headerBool(value);
        } else if (name == "x-pulsar-base64-ordering-key") {
            m.orderingKey = headerBase64(value);
        } else if (name == "x-pulsar-num-batch-message") {
            m.batchMessageCount = std::max(0, headerInt(value).value_or(0));
        } else if (name == "x-pulsar-batch-size") {
            m.batchSize = headerLong(value);
        } else if (name == "x-pulsar-compression") {
            m.compression = QString::fromLatin1(value.trimmed());
        } else if (name == "x-pulsar-uncompressed-size") {
            m.uncompressedSize = headerLong(value);
        } else if (name == "x-pulsar-is-encrypted") {
            m.encrypted = headerBool(value);
        } else if (name == "x-pulsar-encryption-algo") {
            m.encryptionAlgorithm = headerText(value);
        } else if (name == "x-pulsar-base64-encryption-param") {
            m.encryptionParam = headerBase64(value);
        } else if (name == "x-pulsar-base64-encryption-keys") {
            for (const QByteArray &part : splitRepeated(value)) {
                EncryptionKey key;
                const auto decoded = decodeBase64Java(QByteArrayView(part));
                if (decoded && readEncryptionKey(*decoded, &key))
                    m.encryptionKeys.append(key);
            }
        } else if (name == "x-pulsar-base64-schema-version" || name == "x-pulsar-base64-schema-version-b64encoded") {
            m.schemaVersion = headerBase64(value);
        } else if (name == "x-pulsar-null-value") {
            m.nullValue = headerBool(value);
        } else if (name == "x-pulsar-marker-type") {
            m.markerType = headerInt(value);
        } else if (name == "x-pulsar-replicated-from") {
            m.replicatedFrom = headerText(value);
        } else if (name == "x-pulsar-replicated-to") {
            for (const QByteArray &part : splitRepeated(value))
                m.replicatedTo.append(headerText(part));
        } else if (name == "x-pulsar-txn-aborted") {
            m.txnAborted = headerBool(value);
        } else if (name == "x-pulsar-txn-uncommitted") {
            m.txnUncommitted = headerBool(value);
        } else if (name == "x-pulsar-txnid-most-bits") {
            m.txnIdMostBits = headerLong(value);
        } else if (name == "x-pulsar-txnid-least-bits") {
            m.txnIdLeastBits = headerLong(value);
        } else if (name == "x-pulsar-uuid") {
            m.chunkUuid = headerText(value);
        } else if (name == "x-pulsar-num-chunks-from-msg") {
            m.numChunksFromMessage = headerInt(value);
        } else if (name == "x-pulsar-total-chunk-msg-size") {
            m.totalChunkMessageSize = headerInt(value);
        } else if (name == "x-pulsar-chunk-id") {
            m.chunkId = headerInt(value);
        } else if (name == "x-pulsar-broker-entry-metadata-timestamp") {
            m.brokerEntryTimestamp = headerLong(value);
        } else if (name == "x-pulsar-broker-entry-metadata-index") {
            m.brokerEntryIndex = headerLong(value);
        }
    }
    if (!haveId) {
        *error = malformed(QStringLiteral("The answer has no X-Pulsar-Message-ID header"));
        return std::nullopt;
    }
    // The per-property headers cannot carry every key (a header name is a token) and may be re-cased on the way; the
    // JSON map is exact, so it wins where both are present.
    m.properties = headerProperties;
    if (propertyJson) {
        // Re-encoded as UTF-8 for the JSON parser, so a Latin-1 map from Pulsar parses too (offsets in the error
        // then count UTF-8 bytes, which differ from the received ones only for non-ASCII text).
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(headerText(*propertyJson).toUtf8(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            *error = malformed(QStringLiteral("X-Pulsar-PROPERTY: ") +
                               (parseError.error != QJsonParseError::NoError
                                    ? QStringLiteral("invalid JSON at offset ") + QString::number(parseError.offset) +
                                          QStringLiteral(": ") + parseError.errorString()
                                    : QStringLiteral("expected a JSON object")));
            return std::nullopt;
        }
        const QJsonObject object = document.object();
        for (auto it = object.begin(); it != object.end(); ++it)
            m.properties.insert(it.key(),
                                it.value().isString() ? it.value().toString() : it.value().toVariant().toString());
    }
    // An encrypted batch cannot be split without the key: the payload is ciphertext.
    if (m.isBatch() && !m.encrypted) {
        QString batchError;
        if (auto messages = splitBatch(body, m.batchMessageCount, &batchError))
            m.batch = std::move(*messages);
        else
            m.batchError = batchError;
    }
    return m;
}

} // namespace Pulsar
