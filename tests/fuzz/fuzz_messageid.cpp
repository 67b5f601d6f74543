// libFuzzer target: message-id protobuf and base64 decoding, the human form, and Pulsar's time parser.
#include "protocol/messageid.h"
#include "protocol/timeformat.h"

#include <QString>

#include <cstdint>
#include <cstdlib>

using namespace Pulsar;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));

    // Raw protobuf: whatever decodes re-encodes to bytes that decode to the same id.
    const Result<MessageId> id = MessageId::fromBytes(bytes);
    if (id.ok()) {
        const QByteArray encoded = id->toBytes();
        const Result<MessageId> again = MessageId::fromBytes(encoded);
        check(again.ok());
        // A negative partition is not written (as in Pulsar's client), so only then may the ids differ.
        check(again.value() == id.value() || id->partition < -1);
        check(again->toBytes() == encoded);
        check(MessageId::fromBase64(id->toBase64()).ok());
        const Result<MessageId> parsed = MessageId::parse(id->toString());
        check(parsed.ok() && parsed.value() == id.value());
    }

    // Base64 over bytes and over text; the two must agree on Latin-1 input.
    const Result<QByteArray> b1 = decodeBase64Java(bytes);
    const Result<QByteArray> b2 = decodeBase64Java(QStringView(QString::fromLatin1(bytes)));
    check(b1.ok() == b2.ok());
    if (b1.ok())
        check(b1.value() == b2.value());
    else
        check(b1.error().message == b2.error().message);
    (void)MessageId::fromBase64(bytes);

    const QString text = QString::fromUtf8(bytes);
    (void)MessageId::parse(text);
    (void)decodeBase64Java(QStringView(text));

    // Times: anything accepted formats back (in UTC) to text that parses to the same instant.
    const Result<qint64> ms = parsePulsarTime(text);
    if (ms.ok()) {
        const QString formatted = formatPulsarTime(ms.value(), 0);
        const Result<qint64> again = parsePulsarTime(formatted);
        check(again.ok() && again.value() == ms.value());
    }
    if (size >= 12) {
        qint64 v = 0;
        int offset = 0;
        memcpy(&v, data, 8);
        memcpy(&offset, data + 8, 4);
        offset %= 18 * 3600 + 1;
        const QString formatted = formatPulsarTime(v, offset);
        const Result<qint64> back = parsePulsarTime(formatted);
        // The instant survives unless the local time leaves Java's (and qint64's) range.
        if (back.ok())
            check(back.value() == v);
    }
    return 0;
}
