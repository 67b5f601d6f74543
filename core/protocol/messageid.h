#pragma once

#include "error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHashFunctions>
#include <QString>
#include <QStringView>

#include <memory>

namespace Pulsar {

// A Pulsar message id as the WebSocket API carries it: the MessageIdData protobuf (spec 4), base64 on the wire.
// A cheap value type: five integers and an optional shared pointer to the first chunk of a chunked message.
// Equality and ordering follow Pulsar's client (ledger, entry, partition, batch index); batchSize, the legacy
// form and the first chunk only affect the encoding.
struct MessageId
{
    qint64 ledgerId = -1;
    qint64 entryId = -1;
    int partition = -1;       // written only when >= 0
    int batchIndex = -1;      // written only when != -1, as Pulsar's client does
    int batchSize = 0;        // the batch's size, 0 for a non-batched message
    bool hasBatchSize = true; // false: the pre-2.8 form without field 6 ("CAAQAw==")
    std::shared_ptr<const MessageId> firstChunk;

    // Pulsar's MessageId.earliest (-1:-1) and MessageId.latest (Long.MAX:Long.MAX).
    static MessageId earliest();
    static MessageId latest();

    bool isBatch() const { return batchIndex >= 0 && batchSize > 0; }

    // The MessageIdData bytes, fields in field-number order.
    QByteArray toBytes() const;
    // Accepts any field order and unknown fields; requires ledgerId and entryId. ErrorCode::InvalidMessageId.
    static Result<MessageId> fromBytes(QByteArrayView bytes);

    // Standard alphabet, padded: what Pulsar writes.
    QByteArray toBase64() const;
    QString toBase64String() const;
    // Java's basic base64 decoder (ErrorCode::InvalidBase64, Java's message) then fromBytes.
    static Result<MessageId> fromBase64(QStringView text);
    static Result<MessageId> fromBase64(QByteArrayView latin1);

    // "ledger:entry:partition:batchIndex", e.g. "123456:42:2:5".
    QString toString() const;
    // "ledger:entry", "ledger:entry:partition" or "ledger:entry:partition:batchIndex" (ErrorCode::InvalidMessageId).
    static Result<MessageId> parse(QStringView text);

    friend bool operator==(const MessageId &a, const MessageId &b)
    {
        return a.ledgerId == b.ledgerId && a.entryId == b.entryId && a.partition == b.partition &&
               a.batchIndex == b.batchIndex;
    }
    friend bool operator!=(const MessageId &a, const MessageId &b) { return !(a == b); }
    friend bool operator<(const MessageId &a, const MessageId &b);
    friend bool operator>(const MessageId &a, const MessageId &b) { return b < a; }
    friend bool operator<=(const MessageId &a, const MessageId &b) { return !(b < a); }
    friend bool operator>=(const MessageId &a, const MessageId &b) { return !(a < b); }
};

size_t qHash(const MessageId &id, size_t seed = 0) noexcept;

// java.util.Base64.getDecoder().decode(String): standard alphabet only, optional padding, no whitespace, and
// non-zero trailing bits tolerated. Errors carry ErrorCode::InvalidBase64 and Java's exact message
// ("Illegal base64 character 2d"), because Pulsar puts that text on the wire.
Result<QByteArray> decodeBase64Java(QStringView text);
// The same over bytes (each byte one character, as Java's String.getBytes(ISO_8859_1) sees it).
Result<QByteArray> decodeBase64Java(QByteArrayView latin1);

} // namespace Pulsar
