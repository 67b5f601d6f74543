#pragma once

#include "adminerror.h"
#include "protocol/messageid.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pulsar {

// One message inside a batch entry, from its SingleMessageMetadata (PulsarApi.proto).
struct BatchedMessage
{
    QByteArray payload;
    QMap<QString, QString> properties;
    std::optional<QString> key;
    bool keyBase64Encoded = false;
    bool nullPartitionKey = false;
    QByteArray orderingKey;
    std::optional<qint64> eventTime; // ms since the epoch
    std::optional<qint64> sequenceId;
    bool nullValue = false;
    bool compactedOut = false;
};

// One encryption key of an encrypted message (EncryptionKeys in PulsarApi.proto).
struct EncryptionKey
{
    QString name;
    QByteArray value; // the data key encrypted with the named public key
    QMap<QString, QString> metadata;
};

// A message read through the admin API: peek the n-th message of a subscription, examine by position, or get by
// ledger/entry (spec 9). The body is the (decompressed) entry payload and the metadata arrives in X-Pulsar-* headers,
// all of which are decoded here; a batch entry is also split into its messages.
struct PeekedMessage
{
    using RawHeaders = QList<QPair<QByteArray, QByteArray>>;

    MessageId messageId; // X-Pulsar-Message-ID "ledger:entry", with the partition of the topic asked about
    QByteArray payload;
    // X-Pulsar-PROPERTY (a JSON map) merged with the per-property X-Pulsar-PROPERTY-<key> headers.
    QMap<QString, QString> properties;
    std::optional<qint64> publishTime; // ms since the epoch (spec 3.0 format in the header)
    std::optional<qint64> eventTime;
    std::optional<qint64> deliverAtTime;
    QString producerName;
    std::optional<qint64> sequenceId;
    std::optional<qint64> highestSequenceId;
    std::optional<QString> key; // X-Pulsar-partition-key: base64 text when keyBase64Encoded
    bool keyBase64Encoded = false;
    bool nullPartitionKey = false;
    QByteArray orderingKey; // decoded from X-Pulsar-Base64-ordering-key
    // X-Pulsar-num-batch-message: the messages in this entry; 0 for an entry that is not a batch.
    int batchMessageCount = 0;
    std::optional<qint64> batchSize; // X-Pulsar-batch-size
    QList<BatchedMessage> batch;     // the entry split (empty when not a batch, or encrypted)
    QString batchError;              // why a batch could not be split (payload is still the whole entry)
    QString compression;             // "NONE", "LZ4", "ZLIB", "ZSTD", "SNAPPY"; empty when not sent
    std::optional<qint64> uncompressedSize;
    bool encrypted = false;
    QString encryptionAlgorithm;
    QByteArray encryptionParam;
    QList<EncryptionKey> encryptionKeys;
    QByteArray schemaVersion;
    bool nullValue = false;
    std::optional<int> markerType; // a server marker (replication, transaction), not a user message
    QString replicatedFrom;
    QStringList replicatedTo;
    bool txnAborted = false;
    bool txnUncommitted = false;
    std::optional<qint64> txnIdMostBits;
    std::optional<qint64> txnIdLeastBits;
    QString chunkUuid;
    std::optional<int> numChunksFromMessage;
    std::optional<int> totalChunkMessageSize;
    std::optional<int> chunkId;
    std::optional<qint64> brokerEntryTimestamp;
    std::optional<qint64> brokerEntryIndex;
    RawHeaders headers; // every X-Pulsar-* header as received, for display

    bool isBatch() const { return batchMessageCount > 0; }
    // The key's bytes: base64-decoded when the producer used a binary key.
    QByteArray keyBytes() const;

    // Decodes an answer. `partition` is the partition index of the topic asked about (-1 for none), as the header
    // carries only ledger and entry. Unparsable optional headers are left unset (they stay in `headers`); a missing
    // or malformed message id or X-Pulsar-PROPERTY map fails with MalformedResponse naming the header.
    // Text headers (properties, key, producer name) are read as UTF-8, or as Latin-1 where they are not valid UTF-8:
    // Pulsar's Jetty sends header values in ISO-8859-1.
    static std::optional<PeekedMessage> fromHttp(const RawHeaders &headers, const QByteArray &body, int partition,
                                                 AdminError *error);
    // Splits a batch entry: per message a 4-byte big-endian metadata size, a SingleMessageMetadata and the payload.
    static std::optional<QList<BatchedMessage>> splitBatch(const QByteArray &entry, int count, QString *error);
};

} // namespace Pulsar
