#include "options.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <algorithm>
#include <limits>

namespace Pulsar {

namespace {

// ---- enum names --------------------------------------------------------------------------------------------

template<typename E, std::size_t N>
struct EnumNames
{
    struct Entry
    {
        E value;
        const char *name;
    };
    Entry entries[N];

    QString nameOf(E value) const
    {
        for (const Entry &e : entries) {
            if (e.value == value)
                return QString::fromLatin1(e.name);
        }
        return QString();
    }
    std::optional<E> valueOf(const QString &name) const
    {
        for (const Entry &e : entries) {
            if (name == QLatin1String(e.name))
                return e.value;
        }
        return std::nullopt;
    }
};

constexpr EnumNames<HashingScheme, 2> hashingSchemeNames{{
    {HashingScheme::JavaStringHash, "JavaStringHash"},
    {HashingScheme::Murmur3_32Hash, "Murmur3_32Hash"},
}};
constexpr EnumNames<MessageRoutingMode, 3> routingModeNames{{
    {MessageRoutingMode::SinglePartition, "SinglePartition"},
    {MessageRoutingMode::RoundRobinPartition, "RoundRobinPartition"},
    {MessageRoutingMode::CustomPartition, "CustomPartition"},
}};
constexpr EnumNames<CompressionType, 5> compressionNames{{
    {CompressionType::None, "NONE"},
    {CompressionType::LZ4, "LZ4"},
    {CompressionType::ZLib, "ZLIB"},
    {CompressionType::ZStd, "ZSTD"},
    {CompressionType::Snappy, "SNAPPY"},
}};
constexpr EnumNames<SubscriptionType, 4> subscriptionTypeNames{{
    {SubscriptionType::Exclusive, "Exclusive"},
    {SubscriptionType::Shared, "Shared"},
    {SubscriptionType::Failover, "Failover"},
    {SubscriptionType::KeyShared, "Key_Shared"},
}};
constexpr EnumNames<SubscriptionMode, 2> subscriptionModeNames{{
    {SubscriptionMode::Durable, "Durable"},
    {SubscriptionMode::NonDurable, "NonDurable"},
}};
constexpr EnumNames<InitialPosition, 2> initialPositionNames{{
    {InitialPosition::Latest, "Latest"},
    {InitialPosition::Earliest, "Earliest"},
}};
constexpr EnumNames<CryptoFailureAction, 3> cryptoFailureActionNames{{
    {CryptoFailureAction::Fail, "FAIL"},
    {CryptoFailureAction::Discard, "DISCARD"},
    {CryptoFailureAction::Consume, "CONSUME"},
}};

// ---- Java-compatible helpers -------------------------------------------------------------------------------

Error queryError(const QString &message)
{
    return makeError(ErrorCode::InvalidQueryParams, message);
}

// Character.isWhitespace(char): Unicode separators except the no-break ones, plus the ASCII controls below.
bool javaIsWhitespace(QChar c)
{
    const char16_t u = c.unicode();
    if ((u >= 0x09 && u <= 0x0D) || (u >= 0x1C && u <= 0x1F))
        return true;
    if (u == 0x00A0 || u == 0x2007 || u == 0x202F)
        return false;
    const QChar::Category cat = c.category();
    return cat == QChar::Separator_Space || cat == QChar::Separator_Line || cat == QChar::Separator_Paragraph;
}

// StringUtils.isBlank: empty or only whitespace.
bool javaIsBlank(const QString &s)
{
    return std::all_of(s.cbegin(), s.cend(), javaIsWhitespace);
}

// StringUtils.trim / String.trim: strips characters <= U+0020 at both ends (not the same set as isBlank).
QString javaTrim(const QString &s)
{
    qsizetype begin = 0;
    qsizetype end = s.size();
    while (begin < end && s.at(begin).unicode() <= 0x20)
        ++begin;
    while (end > begin && s.at(end - 1).unicode() <= 0x20)
        --end;
    return s.mid(begin, end - begin);
}

// Boolean.parseBoolean: "true" in any case; anything else, including "1" and "yes", is false.
bool javaParseBoolean(const QString &s)
{
    return s.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
}

// Integer/Long.parseLong in radix 10, accumulated negatively as Java does so that MIN_VALUE parses.
Result<qint64> parseJavaInteger(const QString &text, qint64 min, qint64 max)
{
    const Error failure = queryError(QStringLiteral("For input string: \"") + text + QLatin1Char('"'));
    const qsizetype len = text.size();
    if (len == 0)
        return failure;
    bool negative = false;
    qint64 limit = -max;
    qsizetype i = 0;
    const QChar first = text.at(0);
    if (first.unicode() < u'0') {
        if (first == QLatin1Char('-')) {
            negative = true;
            limit = min;
        } else if (first != QLatin1Char('+')) {
            return failure;
        }
        if (len == 1)
            return failure;
        i = 1;
    }
    const qint64 multmin = limit / 10;
    qint64 result = 0;
    for (; i < len; ++i) {
        // Character.digit(char, 10) accepts any Unicode decimal digit (Nd), e.g. fullwidth or Arabic-Indic.
        const QChar c = text.at(i);
        if (c.category() != QChar::Number_DecimalDigit)
            return failure;
        const int digit = c.digitValue();
        if (digit < 0 || result < multmin)
            return failure;
        result *= 10;
        if (result < limit + digit)
            return failure;
        result -= digit;
    }
    return negative ? result : -result;
}

// java.util.Base64.getDecoder(): the standard alphabet only, no whitespace, padding optional but exact when
// present, nothing after it. Returns nullopt where Java throws IllegalArgumentException.
std::optional<QByteArray> javaBase64Decode(const QString &text)
{
    auto sextet = [](char16_t c) -> int {
        if (c >= u'A' && c <= u'Z')
            return c - u'A';
        if (c >= u'a' && c <= u'z')
            return c - u'a' + 26;
        if (c >= u'0' && c <= u'9')
            return c - u'0' + 52;
        if (c == u'+')
            return 62;
        if (c == u'/')
            return 63;
        return -1;
    };
    QByteArray out;
    out.reserve(text.size() * 3 / 4);
    quint32 bits = 0;
    int shiftTo = 18;
    qsizetype i = 0;
    const qsizetype len = text.size();
    while (i < len) {
        const char16_t c = text.at(i++).unicode();
        const int b = sextet(c);
        if (b < 0) {
            if (c != u'=')
                return std::nullopt;
            // "xx=" must be "xx==", and '=' may not start a unit.
            if ((shiftTo == 6 && (i == len || text.at(i++) != QLatin1Char('='))) || shiftTo == 18)
                return std::nullopt;
            break;
        }
        bits |= quint32(b) << shiftTo;
        shiftTo -= 6;
        if (shiftTo < 0) {
            out.append(char((bits >> 16) & 0xFF));
            out.append(char((bits >> 8) & 0xFF));
            out.append(char(bits & 0xFF));
            shiftTo = 18;
            bits = 0;
        }
    }
    if (shiftTo == 6) {
        out.append(char((bits >> 16) & 0xFF));
    } else if (shiftTo == 0) {
        out.append(char((bits >> 16) & 0xFF));
        out.append(char((bits >> 8) & 0xFF));
    } else if (shiftTo == 12) {
        return std::nullopt; // a dangling single character
    }
    if (i < len)
        return std::nullopt;
    return out;
}

// ---- client-side encryption keys ---------------------------------------------------------------------------

struct ClientKeyEntry
{
    QString name;
    bool valueNull = false;
    bool keyValueNull = false;
};

// The top-level keys of a JSON object in document order (QJsonObject sorts them; Jackson's map does not).
// The text has already been validated by QJsonDocument, so this scanner only tracks strings and nesting.
QStringList objectKeysInOrder(const QByteArray &json)
{
    QStringList keys;
    qsizetype i = json.indexOf('{');
    if (i < 0)
        return keys;
    ++i;
    const qsizetype n = json.size();
    auto skipSpace = [&] {
        while (i < n && (json.at(i) == ' ' || json.at(i) == '\t' || json.at(i) == '\n' || json.at(i) == '\r'))
            ++i;
    };
    auto skipString = [&] { // at the opening quote; leaves i after the closing one
        ++i;
        while (i < n && json.at(i) != '"') {
            if (json.at(i) == '\\')
                ++i;
            ++i;
        }
        ++i;
    };
    while (i < n) {
        skipSpace();
        if (i >= n || json.at(i) != '"')
            break;
        const qsizetype keyStart = i;
        skipString();
        const QByteArray token = json.mid(keyStart, i - keyStart);
        // Let the JSON parser decode the escapes in the key.
        const QJsonDocument keyDoc = QJsonDocument::fromJson(QByteArray(QByteArray("[") + token + QByteArray("]")));
        keys.append(keyDoc.array().at(0).toString());
        int depth = 0;
        while (i < n) {
            const char c = json.at(i);
            if (c == '"') {
                skipString();
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (depth == 0)
                    return keys;
                --depth;
            } else if (c == ',' && depth == 0) {
                ++i;
                break;
            }
            ++i;
        }
    }
    return keys;
}

// Could Jackson read this as a byte[]? A base64 string or an array of numbers.
bool isByteArrayValue(const QJsonValue &v)
{
    if (v.isString())
        return QByteArray::fromBase64Encoding(v.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors)
                   .decodingStatus == QByteArray::Base64DecodingStatus::Ok;
    if (v.isArray()) {
        const QJsonArray array = v.toArray();
        return std::all_of(array.begin(), array.end(), [](const QJsonValue &e) { return e.isDouble(); });
    }
    return false;
}

// The PIP-290 key map, or nullopt when Pulsar would treat the value as server-side key names. Pulsar falls
// back to server-side whenever base64 or JSON reading fails, the map is empty, or the first key has no
// keyValue; later entries are checked afterwards and give 400s.
std::optional<QList<ClientKeyEntry>> clientSideKeys(const QString &raw)
{
    const std::optional<QByteArray> json = javaBase64Decode(javaTrim(raw));
    if (!json)
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject object = doc.object();
    if (object.isEmpty())
        return std::nullopt;
    QList<ClientKeyEntry> entries;
    for (const QString &name : objectKeysInOrder(*json)) {
        ClientKeyEntry entry;
        entry.name = name;
        const QJsonValue value = object.value(name);
        if (value.isNull()) {
            entry.valueNull = true;
        } else if (value.isObject()) {
            const QJsonObject key = value.toObject();
            const QJsonValue keyValue = key.value(QLatin1String("keyValue"));
            if (keyValue.isUndefined() || keyValue.isNull())
                entry.keyValueNull = true;
            else if (!isByteArrayValue(keyValue))
                return std::nullopt; // Jackson fails on the whole map
            const QJsonValue metadata = key.value(QLatin1String("metadata"));
            if (!metadata.isUndefined() && !metadata.isNull()) {
                if (!metadata.isObject())
                    return std::nullopt;
                const QJsonObject m = metadata.toObject();
                for (auto it = m.begin(); it != m.end(); ++it) {
                    if (it.value().isObject() || it.value().isArray())
                        return std::nullopt;
                }
            }
        } else {
            return std::nullopt;
        }
        entries.append(entry);
    }
    // A null first value makes Pulsar throw a NullPointerException (500); a missing keyValue means server-side.
    if (entries.isEmpty() || entries.first().valueNull || entries.first().keyValueNull)
        return std::nullopt;
    return entries;
}

std::optional<Error> checkClientSideKeys(const QList<ClientKeyEntry> &entries)
{
    for (const ClientKeyEntry &e : entries) {
        if (javaIsBlank(e.name))
            return queryError(QStringLiteral("Empty param encryptionKeys.key"));
        if (e.valueNull)
            return queryError(QStringLiteral("Empty param encryptionKeys.value"));
        if (e.keyValueNull)
            return queryError(QStringLiteral("Empty param encryptionKeys.value.keyValue"));
        // The name is trimmed before it is added, and addEncryptionKey rejects what is then blank.
        if (javaIsBlank(javaTrim(e.name)))
            return queryError(QStringLiteral("Encryption key cannot be blank"));
    }
    return std::nullopt;
}

// String.split(","): no separator gives the whole string (even ""); otherwise trailing empty parts go.
QStringList javaSplitComma(const QString &s)
{
    if (!s.contains(QLatin1Char(',')))
        return {s};
    QStringList parts = s.split(QLatin1Char(','));
    while (!parts.isEmpty() && parts.last().isEmpty())
        parts.removeLast();
    return parts;
}

// ---- field checks, shared by validate() and fromQuery() so both report the same text ----------------------

std::optional<Error> checkProducerName(const QString &name)
{
    if (javaIsBlank(name))
        return queryError(QStringLiteral("producerName cannot be blank"));
    return std::nullopt;
}
std::optional<Error> checkSendTimeout(int value)
{
    if (value < 0)
        return queryError(QStringLiteral("sendTimeout needs to be >= 0"));
    return std::nullopt;
}
std::optional<Error> checkMaxPendingMessages(int value)
{
    if (value < 0)
        return queryError(QStringLiteral("maxPendingMessages needs to be >= 0"));
    return std::nullopt;
}
std::optional<Error> checkBatchingMaxPublishDelay(int value)
{
    if (value < 1)
        return queryError(QStringLiteral("configured value for batch delay must be at least 1ms"));
    return std::nullopt;
}
std::optional<Error> checkServerSideKeyNames(const QStringList &names)
{
    for (const QString &name : names) {
        if (javaIsBlank(name))
            return queryError(QStringLiteral("Encryption key cannot be blank"));
    }
    return std::nullopt;
}
std::optional<Error> checkAckTimeout(int value)
{
    if (value != 0 && value < 1000)
        return queryError(QStringLiteral("Ack timeout should be greater than 1000 ms"));
    return std::nullopt;
}
std::optional<Error> checkReceiverQueueSize(int value)
{
    if (std::min(value, MaxReceiverQueueSize) < 0)
        return queryError(QStringLiteral("receiverQueueSize needs to be >= 0"));
    return std::nullopt;
}
std::optional<Error> checkConsumerName(const QString &name)
{
    if (javaIsBlank(name))
        return queryError(QStringLiteral("consumerName cannot be blank"));
    return std::nullopt;
}
std::optional<Error> checkPriorityLevel(int value)
{
    if (value < 0)
        return queryError(QStringLiteral("priorityLevel needs to be >= 0"));
    return std::nullopt;
}
std::optional<Error> checkNegativeAckDelay(int value)
{
    if (value < 0)
        return queryError(QStringLiteral("redeliveryDelay needs to be >= 0"));
    return std::nullopt;
}
// Only called when a dead-letter policy is being built (maxRedeliverCount or deadLetterTopic given).
std::optional<Error> checkDeadLetter(const std::optional<int> &maxRedeliverCount)
{
    if (maxRedeliverCount.value_or(0) <= 0)
        return queryError(QStringLiteral("MaxRedeliverCount must be > 0."));
    return std::nullopt;
}

// The first value of each name, which is all Pulsar ever reads.
class FirstValues
{
public:
    explicit FirstValues(const QueryItems &items)
    {
        for (const auto &item : items) {
            if (!m_values.contains(item.first))
                m_values.insert(item.first, item.second);
        }
    }
    bool has(QLatin1String name) const { return m_values.contains(QString(name)); }
    QString get(QLatin1String name) const { return m_values.value(QString(name)); }
    std::optional<QString> optional(QLatin1String name) const
    {
        const auto it = m_values.constFind(QString(name));
        if (it == m_values.cend())
            return std::nullopt;
        return *it;
    }

private:
    QHash<QString, QString> m_values;
};

// Parses an int that Pulsar would ignore in this mode: kept only if Pulsar would have accepted it.
void parseIgnoredInt(const FirstValues &q, QLatin1String name, int &field, std::optional<Error> (*check)(int) = nullptr)
{
    if (!q.has(name))
        return;
    const Result<int> value = parseJavaInt(q.get(name));
    if (value.ok() && (!check || !check(*value)))
        field = *value;
}

void append(QueryItems &items, QLatin1String name, const QString &value)
{
    items.append(qMakePair(QString(name), value));
}

QString boolText(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

} // namespace

// ---- enums -------------------------------------------------------------------------------------------------

QString toString(HashingScheme value)
{
    return hashingSchemeNames.nameOf(value);
}
QString toString(MessageRoutingMode value)
{
    return routingModeNames.nameOf(value);
}
QString toString(CompressionType value)
{
    return compressionNames.nameOf(value);
}
QString toString(SubscriptionType value)
{
    return subscriptionTypeNames.nameOf(value);
}
QString toString(SubscriptionMode value)
{
    return subscriptionModeNames.nameOf(value);
}
QString toString(InitialPosition value)
{
    return initialPositionNames.nameOf(value);
}
QString toString(CryptoFailureAction value)
{
    return cryptoFailureActionNames.nameOf(value);
}

std::optional<HashingScheme> hashingSchemeFromString(const QString &name)
{
    return hashingSchemeNames.valueOf(name);
}
std::optional<MessageRoutingMode> messageRoutingModeFromString(const QString &name)
{
    return routingModeNames.valueOf(name);
}
std::optional<CompressionType> compressionTypeFromString(const QString &name)
{
    return compressionNames.valueOf(name);
}
std::optional<SubscriptionType> subscriptionTypeFromString(const QString &name)
{
    return subscriptionTypeNames.valueOf(name);
}
std::optional<SubscriptionMode> subscriptionModeFromString(const QString &name)
{
    return subscriptionModeNames.valueOf(name);
}
std::optional<InitialPosition> initialPositionFromString(const QString &name)
{
    return initialPositionNames.valueOf(name);
}
std::optional<CryptoFailureAction> cryptoFailureActionFromString(const QString &name)
{
    return cryptoFailureActionNames.valueOf(name);
}

Result<int> parseJavaInt(const QString &text)
{
    const Result<qint64> value =
        parseJavaInteger(text, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    if (!value)
        return value.error();
    return int(*value);
}

Result<qint64> parseJavaLong(const QString &text)
{
    return parseJavaInteger(text, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max());
}

// ---- producer ----------------------------------------------------------------------------------------------

bool ProducerOptions::usesClientSideEncryption() const
{
    return encryptionKeys.has_value() && clientSideKeys(*encryptionKeys).has_value();
}

QList<EncryptionKeyEntry> ProducerOptions::clientSideEncryptionKeys() const
{
    QList<EncryptionKeyEntry> keys;
    if (!usesClientSideEncryption())
        return keys;
    const QByteArray json = *javaBase64Decode(javaTrim(*encryptionKeys));
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    for (const QString &name : objectKeysInOrder(json)) {
        const QJsonObject key = object.value(name).toObject();
        EncryptionKeyEntry entry;
        entry.name = name;
        const QJsonValue keyValue = key.value(QLatin1String("keyValue"));
        if (keyValue.isString()) {
            entry.keyValue = QByteArray::fromBase64(keyValue.toString().toLatin1());
        } else {
            // Jackson also reads a byte[] from an array of numbers.
            for (const QJsonValue b : keyValue.toArray())
                entry.keyValue.append(char(b.toInt()));
        }
        const QJsonObject metadata = key.value(QLatin1String("metadata")).toObject();
        for (auto it = metadata.begin(); it != metadata.end(); ++it)
            entry.metadata.append(
                {it.key(), it.value().isString() ? it.value().toString() : it.value().toVariant().toString()});
        keys.append(entry);
    }
    return keys;
}

QStringList ProducerOptions::serverSideEncryptionKeyNames() const
{
    if (!encryptionKeys || usesClientSideEncryption())
        return {};
    return javaSplitComma(*encryptionKeys);
}

bool ProducerOptions::effectiveBatchingEnabled() const
{
    return batchingEnabled && !usesClientSideEncryption();
}

int ProducerOptions::effectiveBatchingMaxMessages() const
{
    return effectiveBatchingEnabled() ? batchingMaxMessages : ProducerOptions().batchingMaxMessages;
}

int ProducerOptions::effectiveMaxPendingMessages() const
{
    return effectiveBatchingEnabled() ? maxPendingMessages : ProducerOptions().maxPendingMessages;
}

int ProducerOptions::effectiveBatchingMaxPublishDelay() const
{
    return effectiveBatchingEnabled() ? batchingMaxPublishDelay : ProducerOptions().batchingMaxPublishDelay;
}

CompressionType ProducerOptions::effectiveCompressionType() const
{
    // With client-side encryption the client compresses before it encrypts, so the proxy must not.
    return usesClientSideEncryption() ? CompressionType::None : compressionType;
}

MessageRoutingMode ProducerOptions::effectiveRoutingMode() const
{
    return messageRoutingMode == MessageRoutingMode::CustomPartition ? MessageRoutingMode::SinglePartition
                                                                     : messageRoutingMode;
}

std::optional<Error> ProducerOptions::validate() const
{
    if (producerName) {
        if (auto e = checkProducerName(*producerName))
            return e;
    }
    if (auto e = checkSendTimeout(sendTimeoutMillis))
        return e;
    std::optional<QList<ClientKeyEntry>> clientKeys;
    if (encryptionKeys)
        clientKeys = clientSideKeys(*encryptionKeys);
    if (clientKeys) {
        if (auto e = checkClientSideKeys(*clientKeys))
            return e;
    }
    if (auto e = checkMaxPendingMessages(maxPendingMessages))
        return e;
    if (auto e = checkBatchingMaxPublishDelay(batchingMaxPublishDelay))
        return e;
    if (encryptionKeys && !clientKeys) {
        if (auto e = checkServerSideKeyNames(javaSplitComma(*encryptionKeys)))
            return e;
    }
    return std::nullopt;
}

QueryItems ProducerOptions::toQueryItems() const
{
    const ProducerOptions defaults;
    QueryItems items;
    if (producerName && !checkProducerName(*producerName))
        append(items, QueryParam::ProducerName, *producerName);
    if (initialSequenceId)
        append(items, QueryParam::InitialSequenceId, QString::number(*initialSequenceId));
    if (hashingScheme != defaults.hashingScheme)
        append(items, QueryParam::HashingScheme, toString(hashingScheme));
    if (sendTimeoutMillis != defaults.sendTimeoutMillis && !checkSendTimeout(sendTimeoutMillis))
        append(items, QueryParam::SendTimeoutMillis, QString::number(sendTimeoutMillis));
    if (batchingEnabled != defaults.batchingEnabled)
        append(items, QueryParam::BatchingEnabled, boolText(batchingEnabled));
    if (batchingMaxMessages != defaults.batchingMaxMessages)
        append(items, QueryParam::BatchingMaxMessages, QString::number(batchingMaxMessages));
    if (maxPendingMessages != defaults.maxPendingMessages && !checkMaxPendingMessages(maxPendingMessages))
        append(items, QueryParam::MaxPendingMessages, QString::number(maxPendingMessages));
    if (batchingMaxPublishDelay != defaults.batchingMaxPublishDelay &&
        !checkBatchingMaxPublishDelay(batchingMaxPublishDelay))
        append(items, QueryParam::BatchingMaxPublishDelay, QString::number(batchingMaxPublishDelay));
    if (messageRoutingMode != defaults.messageRoutingMode)
        append(items, QueryParam::MessageRoutingMode, toString(messageRoutingMode));
    if (compressionType != defaults.compressionType)
        append(items, QueryParam::CompressionType, toString(compressionType));
    if (encryptionKeys) {
        const auto clientKeys = clientSideKeys(*encryptionKeys);
        const bool ok =
            clientKeys ? !checkClientSideKeys(*clientKeys) : !checkServerSideKeyNames(javaSplitComma(*encryptionKeys));
        if (ok)
            append(items, QueryParam::EncryptionKeys, *encryptionKeys);
    }
    if (token)
        append(items, QueryParam::Token, *token);
    return items;
}

Result<ProducerOptions> ProducerOptions::fromQuery(const QueryItems &items)
{
    const FirstValues q(items);
    ProducerOptions o;
    o.token = q.optional(QueryParam::Token);

    if (q.has(QueryParam::ProducerName)) {
        const QString name = q.get(QueryParam::ProducerName);
        if (auto e = checkProducerName(name))
            return *e;
        o.producerName = name;
    }
    if (q.has(QueryParam::InitialSequenceId)) {
        const Result<qint64> value = parseJavaLong(q.get(QueryParam::InitialSequenceId));
        if (!value)
            return value.error();
        o.initialSequenceId = *value;
    }
    if (q.has(QueryParam::HashingScheme)) {
        // Pulsar calls HashingScheme.valueOf directly, so the text is Java's own enum error.
        const QString text = q.get(QueryParam::HashingScheme);
        const auto value = hashingSchemeFromString(text);
        if (!value)
            return queryError(QStringLiteral("No enum constant org.apache.pulsar.client.api.HashingScheme.") + text);
        o.hashingScheme = *value;
    }
    if (q.has(QueryParam::SendTimeoutMillis)) {
        const Result<int> value = parseJavaInt(q.get(QueryParam::SendTimeoutMillis));
        if (!value)
            return value.error();
        if (auto e = checkSendTimeout(*value))
            return *e;
        o.sendTimeoutMillis = *value;
    }
    if (q.has(QueryParam::MessageRoutingMode)) {
        const QString text = q.get(QueryParam::MessageRoutingMode);
        const auto value = messageRoutingModeFromString(text);
        if (!value)
            return queryError(QStringLiteral("Invalid messageRoutingMode ") + text);
        o.messageRoutingMode = *value; // CustomPartition is kept here; effectiveRoutingMode() ignores it
    }

    o.encryptionKeys = q.optional(QueryParam::EncryptionKeys);
    if (q.has(QueryParam::BatchingEnabled))
        o.batchingEnabled = javaParseBoolean(q.get(QueryParam::BatchingEnabled));

    const std::optional<QList<ClientKeyEntry>> clientKeys =
        o.encryptionKeys ? clientSideKeys(*o.encryptionKeys) : std::nullopt;
    const bool batchingRead = !clientKeys && o.batchingEnabled;
    if (clientKeys) {
        if (auto e = checkClientSideKeys(*clientKeys))
            return *e;
    }

    // With batching on Pulsar parses and checks the batching parameters in this order. Otherwise it never
    // reads them, so bad values are no error; good ones are kept so that the options round-trip.
    if (batchingRead) {
        if (q.has(QueryParam::BatchingMaxMessages)) {
            const Result<int> value = parseJavaInt(q.get(QueryParam::BatchingMaxMessages));
            if (!value)
                return value.error();
            o.batchingMaxMessages = *value;
        }
        if (q.has(QueryParam::MaxPendingMessages)) {
            const Result<int> value = parseJavaInt(q.get(QueryParam::MaxPendingMessages));
            if (!value)
                return value.error();
            if (auto e = checkMaxPendingMessages(*value))
                return *e;
            o.maxPendingMessages = *value;
        }
        if (q.has(QueryParam::BatchingMaxPublishDelay)) {
            const Result<int> value = parseJavaInt(q.get(QueryParam::BatchingMaxPublishDelay));
            if (!value)
                return value.error();
            if (auto e = checkBatchingMaxPublishDelay(*value))
                return *e;
            o.batchingMaxPublishDelay = *value;
        }
    } else {
        parseIgnoredInt(q, QueryParam::BatchingMaxMessages, o.batchingMaxMessages);
        parseIgnoredInt(q, QueryParam::MaxPendingMessages, o.maxPendingMessages, checkMaxPendingMessages);
        parseIgnoredInt(q, QueryParam::BatchingMaxPublishDelay, o.batchingMaxPublishDelay,
                        checkBatchingMaxPublishDelay);
    }

    if (q.has(QueryParam::CompressionType)) {
        const QString text = q.get(QueryParam::CompressionType);
        const auto value = compressionTypeFromString(text);
        if (value)
            o.compressionType = *value;
        else if (!clientKeys) // client-side encryption never reads compressionType
            return queryError(QStringLiteral("Invalid compressionType ") + text);
    }
    return o;
}

bool operator==(const ProducerOptions &a, const ProducerOptions &b)
{
    return a.producerName == b.producerName && a.initialSequenceId == b.initialSequenceId &&
           a.hashingScheme == b.hashingScheme && a.sendTimeoutMillis == b.sendTimeoutMillis &&
           a.batchingEnabled == b.batchingEnabled && a.batchingMaxMessages == b.batchingMaxMessages &&
           a.maxPendingMessages == b.maxPendingMessages && a.batchingMaxPublishDelay == b.batchingMaxPublishDelay &&
           a.messageRoutingMode == b.messageRoutingMode && a.compressionType == b.compressionType &&
           a.encryptionKeys == b.encryptionKeys && a.token == b.token;
}

// ---- consumer ----------------------------------------------------------------------------------------------

int ConsumerOptions::effectiveReceiverQueueSize() const
{
    return std::min(receiverQueueSize, MaxReceiverQueueSize);
}

int ConsumerOptions::pushWindow() const
{
    if (pullMode)
        return 0;
    return std::max(1, effectiveReceiverQueueSize());
}

QString ConsumerOptions::deadLetterTopicFor(const QString &fullTopicName, const QString &subscription) const
{
    if (!deadLetterEnabled())
        return QString();
    if (deadLetterTopic && !javaIsBlank(*deadLetterTopic))
        return *deadLetterTopic;
    return fullTopicName + QLatin1Char('-') + subscription + QLatin1String("-DLQ");
}

std::optional<Error> ConsumerOptions::validate() const
{
    if (auto e = checkAckTimeout(ackTimeoutMillis))
        return e;
    if (auto e = checkReceiverQueueSize(receiverQueueSize))
        return e;
    if (consumerName) {
        if (auto e = checkConsumerName(*consumerName))
            return e;
    }
    if (auto e = checkPriorityLevel(priorityLevel))
        return e;
    if (auto e = checkNegativeAckDelay(negativeAckRedeliveryDelay))
        return e;
    if (maxRedeliverCount || deadLetterTopic) {
        if (auto e = checkDeadLetter(maxRedeliverCount))
            return e;
    }
    return std::nullopt;
}

QueryItems ConsumerOptions::toQueryItems() const
{
    const ConsumerOptions defaults;
    QueryItems items;
    if (subscriptionType != defaults.subscriptionType)
        append(items, QueryParam::SubscriptionType, toString(subscriptionType));
    if (subscriptionMode != defaults.subscriptionMode)
        append(items, QueryParam::SubscriptionMode, toString(subscriptionMode));
    if (subscriptionInitialPosition != defaults.subscriptionInitialPosition)
        append(items, QueryParam::SubscriptionInitialPosition, toString(subscriptionInitialPosition));
    if (ackTimeoutMillis != defaults.ackTimeoutMillis && !checkAckTimeout(ackTimeoutMillis))
        append(items, QueryParam::AckTimeoutMillis, QString::number(ackTimeoutMillis));
    if (receiverQueueSize != defaults.receiverQueueSize && !checkReceiverQueueSize(receiverQueueSize))
        append(items, QueryParam::ReceiverQueueSize, QString::number(receiverQueueSize));
    if (consumerName && !checkConsumerName(*consumerName))
        append(items, QueryParam::ConsumerName, *consumerName);
    if (priorityLevel != defaults.priorityLevel && !checkPriorityLevel(priorityLevel))
        append(items, QueryParam::PriorityLevel, QString::number(priorityLevel));
    if (negativeAckRedeliveryDelay != defaults.negativeAckRedeliveryDelay &&
        !checkNegativeAckDelay(negativeAckRedeliveryDelay))
        append(items, QueryParam::NegativeAckRedeliveryDelay, QString::number(negativeAckRedeliveryDelay));
    // A dead-letter topic without a positive count is refused by Pulsar, so neither goes out then.
    if (deadLetterEnabled()) {
        append(items, QueryParam::MaxRedeliverCount, QString::number(*maxRedeliverCount));
        if (deadLetterTopic)
            append(items, QueryParam::DeadLetterTopic, *deadLetterTopic);
    }
    if (pullMode != defaults.pullMode)
        append(items, QueryParam::PullMode, boolText(pullMode));
    if (cryptoFailureAction != defaults.cryptoFailureAction)
        append(items, QueryParam::CryptoFailureAction, toString(cryptoFailureAction));
    if (token)
        append(items, QueryParam::Token, *token);
    return items;
}

Result<ConsumerOptions> ConsumerOptions::fromQuery(const QueryItems &items)
{
    const FirstValues q(items);
    ConsumerOptions o;
    o.token = q.optional(QueryParam::Token);
    // Read before the configuration, and never an error.
    if (q.has(QueryParam::PullMode))
        o.pullMode = javaParseBoolean(q.get(QueryParam::PullMode));

    if (q.has(QueryParam::AckTimeoutMillis)) {
        const Result<int> value = parseJavaInt(q.get(QueryParam::AckTimeoutMillis));
        if (!value)
            return value.error();
        if (auto e = checkAckTimeout(*value))
            return *e;
        o.ackTimeoutMillis = *value;
    }
    if (q.has(QueryParam::SubscriptionType)) {
        const QString text = q.get(QueryParam::SubscriptionType);
        const auto value = subscriptionTypeFromString(text);
        if (!value)
            return queryError(QStringLiteral("Invalid subscriptionType ") + text);
        o.subscriptionType = *value;
    }
    if (q.has(QueryParam::SubscriptionMode)) {
        const QString text = q.get(QueryParam::SubscriptionMode);
        const auto value = subscriptionModeFromString(text);
        if (!value)
            return queryError(QStringLiteral("Invalid subscriptionMode ") + text);
        o.subscriptionMode = *value;
    }
    if (q.has(QueryParam::SubscriptionInitialPosition)) {
        const QString text = q.get(QueryParam::SubscriptionInitialPosition);
        const auto value = initialPositionFromString(text);
        if (!value)
            return queryError(QStringLiteral("Invalid subscriptionInitialPosition ") + text);
        o.subscriptionInitialPosition = *value;
    }
    if (q.has(QueryParam::ReceiverQueueSize)) {
        const Result<int> value = parseJavaInt(q.get(QueryParam::ReceiverQueueSize));
        if (!value)
            return value.error();
        if (auto e = checkReceiverQueueSize(*value))
            return *e;
        o.receiverQueueSize = *value;
    }
    if (q.has(QueryParam::ConsumerName)) {
        const QString name = q.get(QueryParam::ConsumerName);
        if (auto e = checkConsumerName(name))
            return *e;
        o.consumerName = name;
    }
    if (q.has(QueryParam::PriorityLevel)) {
        const Result<int> value = parseJavaInt(q.get(QueryParam::PriorityLevel));
        if (!value)
            return value.error();
        if (auto e = checkPriorityLevel(*value))
            return *e;
        o.priorityLevel = *value;
    }
    if (q.has(QueryParam::NegativeAckRedeliveryDelay)) {
        const Result<int> value = parseJavaInt(q.get(QueryParam::NegativeAckRedeliveryDelay));
        if (!value)
            return value.error();
        if (auto e = checkNegativeAckDelay(*value))
            return *e;
        o.negativeAckRedeliveryDelay = *value;
    }
    if (q.has(QueryParam::MaxRedeliverCount) || q.has(QueryParam::DeadLetterTopic)) {
        if (q.has(QueryParam::MaxRedeliverCount)) {
            const Result<int> value = parseJavaInt(q.get(QueryParam::MaxRedeliverCount));
            if (!value)
                return value.error();
            o.maxRedeliverCount = *value;
        }
        o.deadLetterTopic = q.optional(QueryParam::DeadLetterTopic);
        if (auto e = checkDeadLetter(o.maxRedeliverCount))
            return *e;
    }
    if (q.has(QueryParam::CryptoFailureAction)) {
        // Pulsar only logs an unknown action and keeps FAIL.
        if (const auto value = cryptoFailureActionFromString(q.get(QueryParam::CryptoFailureAction)))
            o.cryptoFailureAction = *value;
    }
    return o;
}

bool operator==(const ConsumerOptions &a, const ConsumerOptions &b)
{
    return a.subscriptionType == b.subscriptionType && a.subscriptionMode == b.subscriptionMode &&
           a.subscriptionInitialPosition == b.subscriptionInitialPosition && a.ackTimeoutMillis == b.ackTimeoutMillis &&
           a.receiverQueueSize == b.receiverQueueSize && a.consumerName == b.consumerName &&
           a.priorityLevel == b.priorityLevel && a.negativeAckRedeliveryDelay == b.negativeAckRedeliveryDelay &&
           a.maxRedeliverCount == b.maxRedeliverCount && a.deadLetterTopic == b.deadLetterTopic &&
           a.pullMode == b.pullMode && a.cryptoFailureAction == b.cryptoFailureAction && a.token == b.token;
}

// ---- reader ------------------------------------------------------------------------------------------------

ReaderStart ReaderOptions::start() const
{
    // Pulsar tests isNotBlank first, so "" and "  " mean latest; the keywords are exact and case-sensitive.
    if (javaIsBlank(messageId) || messageId == QLatin1String("latest"))
        return ReaderStart::Latest;
    if (messageId == QLatin1String("earliest"))
        return ReaderStart::Earliest;
    return ReaderStart::MessageId;
}

int ReaderOptions::effectiveReceiverQueueSize() const
{
    return std::min(receiverQueueSize, MaxReceiverQueueSize);
}

int ReaderOptions::pushWindow() const
{
    return std::max(1, effectiveReceiverQueueSize());
}

std::optional<Error> ReaderOptions::validate() const
{
    if (auto e = checkReceiverQueueSize(receiverQueueSize))
        return makeError(ErrorCode::InvalidPath, e->message);
    return std::nullopt;
}

QueryItems ReaderOptions::toQueryItems() const
{
    const ReaderOptions defaults;
    QueryItems items;
    if (readerName)
        append(items, QueryParam::ReaderName, *readerName);
    if (receiverQueueSize != defaults.receiverQueueSize && !checkReceiverQueueSize(receiverQueueSize))
        append(items, QueryParam::ReceiverQueueSize, QString::number(receiverQueueSize));
    if (messageId != defaults.messageId)
        append(items, QueryParam::MessageId, messageId);
    if (cryptoFailureAction != defaults.cryptoFailureAction)
        append(items, QueryParam::CryptoFailureAction, toString(cryptoFailureAction));
    if (token)
        append(items, QueryParam::Token, *token);
    return items;
}

Result<ReaderOptions> ReaderOptions::fromQuery(const QueryItems &items)
{
    const FirstValues q(items);
    ReaderOptions o;
    o.token = q.optional(QueryParam::Token);
    if (q.has(QueryParam::ReceiverQueueSize)) {
        const Result<int> value = parseJavaInt(q.get(QueryParam::ReceiverQueueSize));
        if (!value)
            return makeError(ErrorCode::InvalidPath, value.error().message);
        if (auto e = checkReceiverQueueSize(*value))
            return makeError(ErrorCode::InvalidPath, e->message);
        o.receiverQueueSize = *value;
    }
    if (q.has(QueryParam::MessageId))
        o.messageId = q.get(QueryParam::MessageId);
    o.readerName = q.optional(QueryParam::ReaderName);
    if (q.has(QueryParam::CryptoFailureAction)) {
        if (const auto value = cryptoFailureActionFromString(q.get(QueryParam::CryptoFailureAction)))
            o.cryptoFailureAction = *value;
    }
    return o;
}

bool operator==(const ReaderOptions &a, const ReaderOptions &b)
{
    return a.readerName == b.readerName && a.receiverQueueSize == b.receiverQueueSize && a.messageId == b.messageId &&
           a.cryptoFailureAction == b.cryptoFailureAction && a.token == b.token;
}

} // namespace Pulsar
