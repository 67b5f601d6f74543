#pragma once

#include "error.h"
#include "frames.h"

#include <QLatin1String>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pulsar {

// A URL query as decoded (name, value) pairs, in the order they appeared. Repeats are kept: Pulsar reads only
// the first value of a repeated name, so the order matters.
using QueryItems = QList<QPair<QString, QString>>;

// The query parameter names, spelled as Pulsar spells them (case-sensitive).
namespace QueryParam {
inline constexpr QLatin1String Token("token");
// Producer
inline constexpr QLatin1String ProducerName("producerName");
inline constexpr QLatin1String InitialSequenceId("initialSequenceId");
inline constexpr QLatin1String HashingScheme("hashingScheme");
inline constexpr QLatin1String SendTimeoutMillis("sendTimeoutMillis");
inline constexpr QLatin1String BatchingEnabled("batchingEnabled");
inline constexpr QLatin1String BatchingMaxMessages("batchingMaxMessages");
inline constexpr QLatin1String MaxPendingMessages("maxPendingMessages");
inline constexpr QLatin1String BatchingMaxPublishDelay("batchingMaxPublishDelay");
inline constexpr QLatin1String MessageRoutingMode("messageRoutingMode");
inline constexpr QLatin1String CompressionType("compressionType");
inline constexpr QLatin1String EncryptionKeys("encryptionKeys");
// Consumer
inline constexpr QLatin1String SubscriptionType("subscriptionType");
inline constexpr QLatin1String SubscriptionMode("subscriptionMode");
inline constexpr QLatin1String SubscriptionInitialPosition("subscriptionInitialPosition");
inline constexpr QLatin1String AckTimeoutMillis("ackTimeoutMillis");
inline constexpr QLatin1String ReceiverQueueSize("receiverQueueSize");
inline constexpr QLatin1String ConsumerName("consumerName");
inline constexpr QLatin1String PriorityLevel("priorityLevel");
inline constexpr QLatin1String NegativeAckRedeliveryDelay("negativeAckRedeliveryDelay");
inline constexpr QLatin1String MaxRedeliverCount("maxRedeliverCount");
inline constexpr QLatin1String DeadLetterTopic("deadLetterTopic");
inline constexpr QLatin1String PullMode("pullMode");
inline constexpr QLatin1String CryptoFailureAction("cryptoFailureAction");
// Reader (also ReceiverQueueSize and CryptoFailureAction)
inline constexpr QLatin1String ReaderName("readerName");
inline constexpr QLatin1String MessageId("messageId");
} // namespace QueryParam

// The WebSocket service caps every consumer and reader queue (and so the push window) at this size.
inline constexpr int MaxReceiverQueueSize = 1000;

// Pulsar's Java enums. The C++ names may differ; toString()/xFromString() use the exact, case-sensitive
// Java names, which are what travels in the query.
enum class HashingScheme
{
    JavaStringHash,
    Murmur3_32Hash,
};
enum class MessageRoutingMode
{
    SinglePartition,
    RoundRobinPartition,
    CustomPartition, // accepted by the WebSocket service but ignored: the producer stays SinglePartition
};
enum class CompressionType
{
    None,   // "NONE"
    LZ4,    // "LZ4"
    ZLib,   // "ZLIB"
    ZStd,   // "ZSTD"
    Snappy, // "SNAPPY"
};
enum class SubscriptionType
{
    Exclusive,
    Shared,
    Failover,
    KeyShared, // "Key_Shared"
};
enum class SubscriptionMode
{
    Durable,
    NonDurable,
};
enum class InitialPosition
{
    Latest,
    Earliest,
};
enum class CryptoFailureAction
{
    Fail,    // "FAIL"
    Discard, // "DISCARD"
    Consume, // "CONSUME": deliver still-encrypted payloads plus their encryption context
};

QString toString(HashingScheme value);
QString toString(MessageRoutingMode value);
QString toString(CompressionType value);
QString toString(SubscriptionType value);
QString toString(SubscriptionMode value);
QString toString(InitialPosition value);
QString toString(CryptoFailureAction value);

// Exact Java enum names only: no trimming, no case folding (Pulsar uses Enum.valueOf).
std::optional<HashingScheme> hashingSchemeFromString(const QString &name);
std::optional<MessageRoutingMode> messageRoutingModeFromString(const QString &name);
std::optional<CompressionType> compressionTypeFromString(const QString &name);
std::optional<SubscriptionType> subscriptionTypeFromString(const QString &name);
std::optional<SubscriptionMode> subscriptionModeFromString(const QString &name);
std::optional<InitialPosition> initialPositionFromString(const QString &name);
std::optional<CryptoFailureAction> cryptoFailureActionFromString(const QString &name);

// Java's Integer.parseInt / Long.parseLong (radix 10): optional '+' or '-', then Unicode decimal digits only,
// range-checked. On failure the Error carries Java's NumberFormatException text, `For input string: "<s>"`,
// with code InvalidQueryParams. Exposed because other query-driven code must parse numbers the same way.
Result<int> parseJavaInt(const QString &text);
Result<qint64> parseJavaLong(const QString &text);

// The options of a producer socket (/ws/v2/producer/...), one field per query parameter of spec 2.1, holding
// Pulsar's default when the parameter is absent. The client fills one in and calls toQueryItems(); the bundled
// proxy calls fromQuery() and gets Pulsar's verdict, including its first error text.
struct ProducerOptions
{
    std::optional<QString> producerName;     // absent: the broker generates one
    std::optional<qint64> initialSequenceId; // absent: the broker's last sequence id is used
    HashingScheme hashingScheme = HashingScheme::JavaStringHash;
    int sendTimeoutMillis = 30000; // 0 = no timeout
    bool batchingEnabled = false;  // the WebSocket service's default, unlike the Java client's
    int batchingMaxMessages = 1000;
    int maxPendingMessages = 0; // 0 = the client's memory limit governs
    int batchingMaxPublishDelay = 1;
    MessageRoutingMode messageRoutingMode = MessageRoutingMode::SinglePartition;
    CompressionType compressionType = CompressionType::None;
    // Either a comma-separated list of key names (server-side encryption) or the standard base64 of a JSON
    // map {name: {"keyValue": base64, "metadata": {...}}} (client-side encryption, PIP-290). Kept raw.
    std::optional<QString> encryptionKeys;
    std::optional<QString> token;

    // True when encryptionKeys is the client-side (PIP-290) form, decided as Pulsar decides it: the value
    // (trimmed) is strict base64 of a JSON object that is not empty and whose first entry has a keyValue.
    bool usesClientSideEncryption() const;
    // The client-side (PIP-290) data keys in document order, keyValue decoded, for the service to write into every
    // message's metadata; empty when usesClientSideEncryption() is false.
    QList<EncryptionKeyEntry> clientSideEncryptionKeys() const;
    // The server-side key names, split like Java's String.split(","): trailing empty names are dropped.
    QStringList serverSideEncryptionKeyNames() const;

    // What the proxy actually does. Client-side encryption turns batching and compression off, and the
    // batching parameters are read only when batching is on (Pulsar 3.2+).
    bool effectiveBatchingEnabled() const;
    bool batchingParametersApply() const { return effectiveBatchingEnabled(); }
    int effectiveBatchingMaxMessages() const;
    int effectiveMaxPendingMessages() const;
    int effectiveBatchingMaxPublishDelay() const;
    CompressionType effectiveCompressionType() const;
    MessageRoutingMode effectiveRoutingMode() const; // CustomPartition -> SinglePartition

    // The first value Pulsar would reject, checked in Pulsar's order (InvalidQueryParams, text without the
    // "Invalid query params: " prefix). Stricter than the server in one way: fields that Pulsar ignores in
    // the current mode (batching parameters with batching off) are checked too, so that a form never keeps a
    // value that becomes an error once the user flips batching on.
    std::optional<Error> validate() const;

    // Only the parameters that differ from Pulsar's default or were explicitly set (engaged optionals), in
    // the order of spec table 2.1. A field that validate() rejects is left out rather than sent: the server
    // would refuse the whole socket. For any o with !o.validate(): fromQuery(o.toQueryItems()) == o.
    QueryItems toQueryItems() const;

    // Parses a producer query exactly as ProducerHandler.getProducerBuilder does: first value wins, names
    // and enum values case-sensitive, unknown names ignored, the first error in Pulsar's order. The error
    // is InvalidQueryParams (HTTP 400 "Invalid query params: <message>"). Not checked here because it depends
    // on the server's configuration: encryptionKeys without a crypto key reader (500), and blank server-side
    // key names, which Pulsar rejects only after that check ("Encryption key cannot be blank", 400).
    static Result<ProducerOptions> fromQuery(const QueryItems &items);

    friend bool operator==(const ProducerOptions &a, const ProducerOptions &b);
    friend bool operator!=(const ProducerOptions &a, const ProducerOptions &b) { return !(a == b); }
};

// The options of a consumer socket (/ws/v2/consumer/... and v3 multi-topic), one field per query parameter
// of spec 2.2. The v3 `topics`/`topicsPattern` parameters belong to the endpoint, not here.
struct ConsumerOptions
{
    SubscriptionType subscriptionType = SubscriptionType::Exclusive;
    SubscriptionMode subscriptionMode = SubscriptionMode::Durable;
    InitialPosition subscriptionInitialPosition = InitialPosition::Latest;
    int ackTimeoutMillis = 0;     // 0 = off; otherwise at least 1000
    int receiverQueueSize = 1000; // as requested; see effectiveReceiverQueueSize()
    std::optional<QString> consumerName;
    int priorityLevel = 0;
    int negativeAckRedeliveryDelay = 60000;
    std::optional<int> maxRedeliverCount; // > 0 turns the dead-letter queue on
    std::optional<QString> deadLetterTopic;
    bool pullMode = false;
    CryptoFailureAction cryptoFailureAction = CryptoFailureAction::Fail;
    std::optional<QString> token;

    int effectiveReceiverQueueSize() const; // min(receiverQueueSize, 1000)
    // How many pushed messages may await an ack: the effective queue size, 0 treated as 1; 0 in pull mode,
    // where permits drive delivery instead.
    int pushWindow() const;
    bool deadLetterEnabled() const { return maxRedeliverCount.has_value() && *maxRedeliverCount > 0; }
    // The dead-letter topic: deadLetterTopic when it is not blank, else "<full topic>-<subscription>-DLQ".
    // Empty when the dead-letter queue is off.
    QString deadLetterTopicFor(const QString &fullTopicName, const QString &subscription) const;

    // As ProducerOptions::validate(), in ConsumerHandler.getConsumerConfiguration's order.
    std::optional<Error> validate() const;
    // As ProducerOptions::toQueryItems(), in the order of spec table 2.2.
    QueryItems toQueryItems() const;
    // Parses as ConsumerHandler.getConsumerConfiguration does; errors are InvalidQueryParams (HTTP 400).
    // An invalid cryptoFailureAction is ignored (FAIL stays), as Pulsar only logs it.
    static Result<ConsumerOptions> fromQuery(const QueryItems &items);

    friend bool operator==(const ConsumerOptions &a, const ConsumerOptions &b);
    friend bool operator!=(const ConsumerOptions &a, const ConsumerOptions &b) { return !(a == b); }
};

// Where a reader starts (exclusive of the given id, the reader default).
enum class ReaderStart
{
    Earliest,
    Latest,
    MessageId, // ReaderOptions::messageId holds a base64 message id (decoded by the message-id module)
};

// The options of a reader socket (/ws/v2/reader/...), one field per query parameter of spec 2.4.
//
// Errors: the reader does not use the 400 mapping. A receiverQueueSize that is not a Java int is parsed before
// Pulsar's try/catch, so Jetty answers 500 with a page naming the NumberFormatException (`For input string:
// "x"`); a negative one fails later in the builder with 500 "Failed to create reader: receiverQueueSize needs
// to be >= 0" (after authentication and after messageId is decoded). fromQuery() reports both as
// ErrorCode::InvalidPath, the code this project uses for "HTTP 500 before the socket exists", with the
// detail as message; the proxy chooses the page. messageId is not decoded here.
struct ReaderOptions
{
    std::optional<QString> readerName;
    int receiverQueueSize = 1000;
    QString messageId = QStringLiteral("latest"); // "earliest", "latest", blank (= latest) or base64
    CryptoFailureAction cryptoFailureAction = CryptoFailureAction::Fail;
    std::optional<QString> token;

    ReaderStart start() const;
    int effectiveReceiverQueueSize() const; // min(receiverQueueSize, 1000)
    int pushWindow() const;                 // the effective queue size, 0 treated as 1

    std::optional<Error> validate() const;
    QueryItems toQueryItems() const; // in the order of spec table 2.4
    static Result<ReaderOptions> fromQuery(const QueryItems &items);

    friend bool operator==(const ReaderOptions &a, const ReaderOptions &b);
    friend bool operator!=(const ReaderOptions &a, const ReaderOptions &b) { return !(a == b); }
};

} // namespace Pulsar
