#include "messageid.h"

#include <QStringList>
#include <QVarLengthArray>

#include <limits>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace Pulsar {

namespace {

// Deep enough for any id Pulsar writes (one level of first_chunk_message_id), shallow enough that a hostile
// input cannot exhaust the stack.
constexpr int kMaxNesting = 8;

enum WireType : quint32
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
};

constexpr quint32 tag(quint32 field, WireType type)
{
    return (field << 3) | type;
}

void appendVarint(QByteArray &out, quint64 value)
{
    char buf[10];
    int n = 0;
    while (value >= 0x80) {
        buf[n++] = char((value & 0x7f) | 0x80);
        value >>= 7;
    }
    buf[n++] = char(value);
    out.append(buf, n);
}

// Protobuf writes a negative int32 sign-extended to 64 bits: a 10-byte varint.
void appendInt32(QByteArray &out, int value)
{
    appendVarint(out, quint64(qint64(value)));
}

class Reader
{
public:
    Reader(const uchar *p, const uchar *end)
        : m_p(p)
        , m_end(end)
    {}

    bool atEnd() const { return m_p >= m_end; }
    qsizetype offset(const uchar *begin) const { return m_p - begin; }

    // At most 10 bytes like protobuf; bits beyond 64 are dropped as protobuf does.
    bool varint(quint64 &value)
    {
        value = 0;
        for (int i = 0; i < 10; ++i) {
            if (m_p >= m_end)
                return false;
            const uchar b = *m_p++;
            value |= quint64(b & 0x7f) << (7 * i);
            if (!(b & 0x80))
                return true;
        }
        return false;
    }
    bool skip(quint64 n)
    {
        if (quint64(m_end - m_p) < n)
            return false;
        m_p += n;
        return true;
    }
    bool slice(quint64 n, const uchar *&begin, const uchar *&end)
    {
        if (quint64(m_end - m_p) < n)
            return false;
        begin = m_p;
        m_p += n;
        end = m_p;
        return true;
    }

private:
    const uchar *m_p;
    const uchar *m_end;
};

Error idError(const QString &detail)
{
    return makeError(ErrorCode::InvalidMessageId, detail);
}

Result<MessageId> decodeMessage(const uchar *begin, const uchar *end, int depth)
{
    if (depth > kMaxNesting)
        return idError(QStringLiteral("Message id nesting is too deep"));
    MessageId id;
    id.hasBatchSize = false;
    bool hasLedger = false;
    bool hasEntry = false;
    Reader r(begin, end);
    while (!r.atEnd()) {
        const qsizetype at = r.offset(begin);
        quint64 key = 0;
        if (!r.varint(key))
            return idError(QStringLiteral("Malformed varint at offset %1").arg(at));
        // Like Pulsar's LightProto parser, a known field number with an unexpected wire type is an unknown field.
        quint64 v = 0;
        switch (key) {
        case tag(1, Varint):
            if (!r.varint(v))
                return idError(QStringLiteral("Malformed ledgerId at offset %1").arg(at));
            id.ledgerId = qint64(v);
            hasLedger = true;
            continue;
        case tag(2, Varint):
            if (!r.varint(v))
                return idError(QStringLiteral("Malformed entryId at offset %1").arg(at));
            id.entryId = qint64(v);
            hasEntry = true;
            continue;
        case tag(3, Varint):
            if (!r.varint(v))
                return idError(QStringLiteral("Malformed partition at offset %1").arg(at));
            id.partition = int(qint32(quint32(v)));
            continue;
        case tag(4, Varint):
            if (!r.varint(v))
                return idError(QStringLiteral("Malformed batch_index at offset %1").arg(at));
            id.batchIndex = int(qint32(quint32(v)));
            continue;
        case tag(6, Varint):
            if (!r.varint(v))
                return idError(QStringLiteral("Malformed batch_size at offset %1").arg(at));
            id.batchSize = int(qint32(quint32(v)));
            id.hasBatchSize = true;
            continue;
        case tag(5, LengthDelimited): {
            // Packed ack_set: only validated, never kept (WebSocket ids never carry one).
            const uchar *b = nullptr;
            const uchar *e = nullptr;
            if (!r.varint(v) || !r.slice(v, b, e))
                return idError(QStringLiteral("Truncated ack_set at offset %1").arg(at));
            Reader packed(b, e);
            while (!packed.atEnd()) {
                quint64 ignored = 0;
                if (!packed.varint(ignored))
                    return idError(QStringLiteral("Malformed ack_set at offset %1").arg(at));
            }
            continue;
        }
        case tag(7, LengthDelimited): {
            const uchar *b = nullptr;
            const uchar *e = nullptr;
            if (!r.varint(v) || !r.slice(v, b, e))
                return idError(QStringLiteral("Truncated first_chunk_message_id at offset %1").arg(at));
            Result<MessageId> chunk = decodeMessage(b, e, depth + 1);
            if (!chunk)
                return chunk.error();
            id.firstChunk = std::make_shared<const MessageId>(std::move(chunk).value());
            continue;
        }
        default:
            break;
        }
        // Unknown field (ack_set unpacked, tag 5 varint, lands here too): skip by wire type.
        bool ok = false;
        switch (quint32(key & 7)) {
        case Varint:
            ok = r.varint(v);
            break;
        case Fixed64:
            ok = r.skip(8);
            break;
        case LengthDelimited:
            ok = r.varint(v) && r.skip(v);
            break;
        case Fixed32:
            ok = r.skip(4);
            break;
        default:
            return idError(QStringLiteral("Invalid wire type %1 at offset %2").arg(key & 7).arg(at));
        }
        if (!ok)
            return idError(QStringLiteral("Truncated field %1 at offset %2").arg(key >> 3).arg(at));
    }
    if (!hasLedger || !hasEntry)
        return idError(QStringLiteral("Some required fields are missing"));
    return id;
}

void encodeInto(QByteArray &out, const MessageId &id)
{
    out.append(char(tag(1, Varint)));
    appendVarint(out, quint64(id.ledgerId));
    out.append(char(tag(2, Varint)));
    appendVarint(out, quint64(id.entryId));
    if (id.partition >= 0) {
        out.append(char(tag(3, Varint)));
        appendInt32(out, id.partition);
    }
    if (id.batchIndex != -1) {
        out.append(char(tag(4, Varint)));
        appendInt32(out, id.batchIndex);
    }
    if (id.hasBatchSize) {
        out.append(char(tag(6, Varint)));
        appendInt32(out, id.batchSize);
    }
    if (id.firstChunk) {
        QByteArray nested;
        encodeInto(nested, *id.firstChunk);
        out.append(char(tag(7, LengthDelimited)));
        appendVarint(out, quint64(nested.size()));
        out.append(nested);
    }
}

// Java's decoder table: -1 illegal, -2 padding.
constexpr signed char kIllegal = -1;
constexpr signed char kPad = -2;

struct DecodeTable
{
    signed char v[256];
    constexpr DecodeTable()
        : v()
    {
        for (int i = 0; i < 256; ++i)
            v[i] = kIllegal;
        const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; ++i)
            v[uchar(alphabet[i])] = static_cast<signed char>(i);
        v[uchar('=')] = kPad;
    }
};
constexpr DecodeTable kTable;

// kTable's values shifted into place for each position of a 4-character unit; kShiftedInvalid for anything else.
constexpr quint32 kShiftedInvalid = 0x01000000;
struct ShiftedTables
{
    quint32 v[4][256];
    constexpr ShiftedTables()
        : v()
    {
        for (int pos = 0; pos < 4; ++pos) {
            for (int c = 0; c < 256; ++c) {
                const int b = kTable.v[c];
                v[pos][c] = b < 0 ? kShiftedInvalid : quint32(b) << (18 - 6 * pos);
            }
        }
    }
};
constexpr ShiftedTables kShifted;

Error b64Error(const QString &message)
{
    return makeError(ErrorCode::InvalidBase64, message);
}

#if defined(__x86_64__) || defined(__i386__)
// Sixteen characters to twelve bytes per step with SSSE3, the method Wojciech Muła and Daniel Lemire describe in
// "Faster Base64 Encoding and Decoding Using AVX2 Instructions" (2018): classify each character by its two nibbles,
// add a per-class offset to get its 6-bit value, then pack four values into three bytes with two multiply-adds
// and a shuffle. A payload of 1 KiB took 11% of the proxy's time with the table loop alone. Returns how many
// characters it decoded: it stops before the first block holding anything but the 64 letters (padding included),
// which the scalar loops then handle, error messages and all. Writes up to 4 bytes past the decoded output.
__attribute__((target("ssse3"))) qsizetype decodeBlocksSsse3(const uchar *src, qsizetype len, char *out)
{
    // A bit per group of high nibbles (2; 3; 4 and 6; 5 and 7; everything else) and, per low nibble, the groups
    // in which that low nibble is not a base64 letter: a character is invalid when the two share a bit.
    const __m128i invalidByLow =
        _mm_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
    const __m128i groupByHigh =
        _mm_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
    // Value minus character, by high nibble, with '/' moved from index 2 to index 1 ('+' keeps 2).
    const __m128i offsetByHigh = _mm_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m128i lowNibble = _mm_set1_epi8(0x0F);
    const __m128i slash = _mm_set1_epi8('/');
    const __m128i packPairs = _mm_set1_epi32(0x01400140); // a*64 + b per pair of bytes
    const __m128i packQuads = _mm_set1_epi32(0x00011000); // ab*4096 + cd per pair of words
    const __m128i bigEndian = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    qsizetype done = 0;
    while (len - done >= 16) {
        const __m128i chars = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + done));
        const __m128i high = _mm_and_si128(_mm_srli_epi32(chars, 4), lowNibble);
        const __m128i low = _mm_and_si128(chars, lowNibble);
        const __m128i invalid = _mm_and_si128(_mm_shuffle_epi8(invalidByLow, low), _mm_shuffle_epi8(groupByHigh, high));
        if (_mm_movemask_epi8(_mm_cmpgt_epi8(invalid, _mm_setzero_si128())))
            break;
        const __m128i offsets = _mm_shuffle_epi8(offsetByHigh, _mm_add_epi8(_mm_cmpeq_epi8(chars, slash), high));
        const __m128i values = _mm_add_epi8(chars, offsets);
        const __m128i packed = _mm_madd_epi16(_mm_maddubs_epi16(values, packPairs), packQuads);
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out), _mm_shuffle_epi8(packed, bigEndian));
        out += 12;
        done += 16;
    }
    return done;
}

const bool kHasSsse3 = __builtin_cpu_supports("ssse3");
#endif

// A transcription of the behaviour (not the code) of java.util.Base64.Decoder.decode for the basic decoder,
// including its messages; checked against Java 17 (see tst_messageid).
Result<QByteArray> decodeJava(const uchar *src, qsizetype len)
{
    if (len == 0)
        return QByteArray();
    if (len < 2)
        return b64Error(QStringLiteral("Input byte[] should at least have 2 bytes for base64 bytes"));
    // Written through a raw pointer: QByteArray::append per group costs three times the decoding itself, and this
    // runs for every payload the proxy receives and every one a client consumes.
    QByteArray out(len / 4 * 3 + 4, Qt::Uninitialized); // + the tail's 2 bytes, or the SIMD store's 4
    char *o = out.data();
    quint32 bits = 0;
    int shift = 18;
    qsizetype sp = 0;
#if defined(__x86_64__) || defined(__i386__)
    if (kHasSsse3) {
        sp = decodeBlocksSsse3(src, len, o);
        o += sp / 4 * 3;
    }
#endif
    // Whole units of four valid characters first, through four pre-shifted tables (an illegal or padding
    // character sets bit 24); the first unit with padding or anything illegal (or the tail) goes to the character
    // loop below, which starts at a unit boundary exactly as if it had run from the start.
    while (sp + 4 <= len) {
        const quint32 v = kShifted.v[0][src[sp]] | kShifted.v[1][src[sp + 1]] | kShifted.v[2][src[sp + 2]] |
                          kShifted.v[3][src[sp + 3]];
        if (v & kShiftedInvalid)
            break;
        o[0] = char(v >> 16);
        o[1] = char(v >> 8);
        o[2] = char(v);
        o += 3;
        sp += 4;
    }
    while (sp < len) {
        const uchar c = src[sp++];
        const int b = kTable.v[c];
        if (b < 0) {
            if (b == kPad) {
                if ((shift == 6 && (sp == len || src[sp++] != '=')) || shift == 18)
                    return b64Error(QStringLiteral("Input byte array has wrong 4-byte ending unit"));
                break;
            }
            // Java prints the (signed) byte in hex: 'é' (0xE9) is "-17".
            const int signedByte = int(static_cast<signed char>(c));
            return b64Error(QStringLiteral("Illegal base64 character ") + QString::number(signedByte, 16));
        }
        bits |= quint32(b) << shift;
        shift -= 6;
        if (shift < 0) {
            *o++ = char(bits >> 16);
            *o++ = char(bits >> 8);
            *o++ = char(bits);
            shift = 18;
            bits = 0;
        }
    }
    if (shift == 6) {
        *o++ = char(bits >> 16);
    } else if (shift == 0) {
        *o++ = char(bits >> 16);
        *o++ = char(bits >> 8);
    } else if (shift == 12) {
        return b64Error(QStringLiteral("Last unit does not have enough valid bits"));
    }
    if (sp < len)
        return b64Error(QStringLiteral("Input byte array has incorrect ending byte at ") + QString::number(sp));
    out.truncate(o - out.constData());
    return out;
}

} // namespace

MessageId MessageId::earliest()
{
    return MessageId{};
}

MessageId MessageId::latest()
{
    MessageId id;
    id.ledgerId = std::numeric_limits<qint64>::max();
    id.entryId = std::numeric_limits<qint64>::max();
    return id;
}

namespace {

// The fields of an id without a first chunk, at most 5 x (tag + 10-byte varint), written into a stack buffer: the
// proxy encodes one id per acknowledged publish and per delivery, and QByteArray::append per field cost more than
// the encoding. Same bytes as encodeInto().
constexpr int kMaxFlatIdBytes = 55;

char *putVarint(char *p, quint64 value)
{
    while (value >= 0x80) {
        *p++ = char((value & 0x7f) | 0x80);
        value >>= 7;
    }
    *p++ = char(value);
    return p;
}

qsizetype encodeFlat(char *out, const MessageId &id)
{
    char *p = out;
    *p++ = char(tag(1, Varint));
    p = putVarint(p, quint64(id.ledgerId));
    *p++ = char(tag(2, Varint));
    p = putVarint(p, quint64(id.entryId));
    if (id.partition >= 0) {
        *p++ = char(tag(3, Varint));
        p = putVarint(p, quint64(qint64(id.partition)));
    }
    if (id.batchIndex != -1) {
        *p++ = char(tag(4, Varint));
        p = putVarint(p, quint64(qint64(id.batchIndex)));
    }
    if (id.hasBatchSize) {
        *p++ = char(tag(6, Varint));
        p = putVarint(p, quint64(qint64(id.batchSize)));
    }
    return p - out;
}

// Standard alphabet, padded, as QByteArray::toBase64 writes it.
void base64Into(char *out, const uchar *in, qsizetype n)
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    qsizetype i = 0;
    for (; i + 3 <= n; i += 3) {
        const quint32 v = quint32(in[i]) << 16 | quint32(in[i + 1]) << 8 | quint32(in[i + 2]);
        *out++ = alphabet[(v >> 18) & 63];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = alphabet[(v >> 6) & 63];
        *out++ = alphabet[v & 63];
    }
    if (n - i == 1) {
        const quint32 v = quint32(in[i]) << 16;
        *out++ = alphabet[(v >> 18) & 63];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = '=';
        *out++ = '=';
    } else if (n - i == 2) {
        const quint32 v = quint32(in[i]) << 16 | quint32(in[i + 1]) << 8;
        *out++ = alphabet[(v >> 18) & 63];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = alphabet[(v >> 6) & 63];
        *out++ = '=';
    }
}

} // namespace

QByteArray MessageId::toBytes() const
{
    if (!firstChunk) {
        char buf[kMaxFlatIdBytes];
        return QByteArray(buf, encodeFlat(buf, *this));
    }
    QByteArray out;
    out.reserve(24);
    encodeInto(out, *this);
    return out;
}

Result<MessageId> MessageId::fromBytes(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    return decodeMessage(p, p + bytes.size(), 0);
}

QByteArray MessageId::toBase64() const
{
    if (firstChunk)
        return toBytes().toBase64();
    char buf[kMaxFlatIdBytes];
    const qsizetype n = encodeFlat(buf, *this);
    QByteArray out((n + 2) / 3 * 4, Qt::Uninitialized);
    base64Into(out.data(), reinterpret_cast<const uchar *>(buf), n);
    return out;
}

QString MessageId::toBase64String() const
{
    return QString::fromLatin1(toBase64());
}

Result<MessageId> MessageId::fromBase64(QStringView text)
{
    Result<QByteArray> bytes = decodeBase64Java(text);
    if (!bytes)
        return bytes.error();
    return fromBytes(bytes.value());
}

Result<MessageId> MessageId::fromBase64(QByteArrayView latin1)
{
    Result<QByteArray> bytes = decodeBase64Java(latin1);
    if (!bytes)
        return bytes.error();
    return fromBytes(bytes.value());
}

QString MessageId::toString() const
{
    return QString::number(ledgerId) + QLatin1Char(':') + QString::number(entryId) + QLatin1Char(':') +
           QString::number(partition) + QLatin1Char(':') + QString::number(batchIndex);
}

namespace {

// Digits with an optional leading '-': no '+', no whitespace (QString::toLongLong would allow both).
template<typename T>
bool parseStrictInt(QStringView s, T &out)
{
    if (s.isEmpty())
        return false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t c = s[i].unicode();
        if (!(c >= u'0' && c <= u'9') && !(i == 0 && c == u'-' && s.size() > 1))
            return false;
    }
    bool ok = false;
    const qlonglong v = s.toLongLong(&ok);
    if (!ok || v < qlonglong(std::numeric_limits<T>::min()) || v > qlonglong(std::numeric_limits<T>::max()))
        return false;
    out = T(v);
    return true;
}

} // namespace

Result<MessageId> MessageId::parse(QStringView text)
{
    const auto parts = text.split(QLatin1Char(':'));
    if (parts.size() < 2 || parts.size() > 4)
        return idError(QStringLiteral("Expected ledger:entry[:partition[:batchIndex]], got '%1'").arg(text));
    MessageId id;
    if (!parseStrictInt(parts[0], id.ledgerId))
        return idError(QStringLiteral("Invalid ledger id '%1'").arg(parts[0]));
    if (!parseStrictInt(parts[1], id.entryId))
        return idError(QStringLiteral("Invalid entry id '%1'").arg(parts[1]));
    if (parts.size() > 2 && !parseStrictInt(parts[2], id.partition))
        return idError(QStringLiteral("Invalid partition '%1'").arg(parts[2]));
    if (parts.size() > 3 && !parseStrictInt(parts[3], id.batchIndex))
        return idError(QStringLiteral("Invalid batch index '%1'").arg(parts[3]));
    return id;
}

bool operator<(const MessageId &a, const MessageId &b)
{
    if (a.ledgerId != b.ledgerId)
        return a.ledgerId < b.ledgerId;
    if (a.entryId != b.entryId)
        return a.entryId < b.entryId;
    if (a.partition != b.partition)
        return a.partition < b.partition;
    return a.batchIndex < b.batchIndex;
}

size_t qHash(const MessageId &id, size_t seed) noexcept
{
    return qHashMulti(seed, id.ledgerId, id.entryId, id.partition, id.batchIndex);
}

Result<QByteArray> decodeBase64Java(QByteArrayView latin1)
{
    return decodeJava(reinterpret_cast<const uchar *>(latin1.data()), latin1.size());
}

Result<QByteArray> decodeBase64Java(QStringView text)
{
    // Java encodes the String as ISO-8859-1 first: each code point above U+00FF becomes one '?'.
    QVarLengthArray<uchar, 256> bytes;
    bytes.reserve(text.size());
    const QChar *p = text.data();
    const QChar *end = p + text.size();
    while (p < end) {
        const char16_t c = p->unicode();
        if (c < 0x100) {
            bytes.append(uchar(c));
        } else {
            if (QChar::isHighSurrogate(c) && p + 1 < end && (p + 1)->isLowSurrogate())
                ++p;
            bytes.append(uchar('?'));
        }
        ++p;
    }
    return decodeJava(bytes.constData(), bytes.size());
}

} // namespace Pulsar
