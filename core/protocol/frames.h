#pragma once

#include "error.h"
#include "messageid.h"
#include "wirestatus.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

// The JSON messages of Pulsar's WebSocket API (spec 3), both directions, shared by client and proxy.
// Encoders write Pulsar's exact bytes (field order, NON_NULL, Jackson escaping). The server-side decoders
// reproduce what Pulsar's handlers do with a frame, including Jackson's coercions and the resulting close codes,
// because a client cannot tell our proxy from Pulsar. None of this needs a QCoreApplication.
namespace Pulsar {

struct ProducerAck;

// An ordered string map (Jackson's LinkedHashMap): a repeated key keeps its first position and its last value.
using Properties = QList<QPair<QString, QString>>;

// Client -> server "send" (spec 3.1, WS/data/ProducerMessage.java).
struct ProducerSend
{
    QByteArray payload;       // decoded bytes
    QByteArray payloadBase64; // the canonical base64 of payload when known (decode keeps the received text)
    Properties properties;
    std::optional<QString> context;
    std::optional<QString> key;
    std::optional<QStringList> replicationClusters;
    std::optional<QString> eventTime;          // as sent
    qint64 eventTimeMs = 0;                    // parsed (decode), 0 when absent
    qint64 sequenceId = 0;                     // parsed but ignored by Pulsar
    bool disableReplication = false;           // ditto
    qint64 deliverAt = 0;                      // epoch ms, 0 = unset
    qint64 deliverAfterMs = 0;                 // 0 = unset; wins over deliverAt
    std::optional<QByteArray> encryptionParam; // the AES-GCM IV (end-to-end encryption)
    std::optional<QString> compressionType;    // NONE|LZ4|ZLIB|ZSTD|SNAPPY
    std::optional<int> uncompressedMessageSize;

    // Writes the set fields only, in ProducerMessage's declaration order; payload as base64.
    QByteArray encode() const;
};

// What a Pulsar producer handler does with one text frame (spec 3.1 processing order, 5.2).
struct ProducerSendDecode
{
    enum class Outcome
    {
        Send,     // publish `message`
        ErrorAck, // answer with errorAck(), keep the session
        Close,    // the handler threw: close the session with closeCode/closeReason
    };
    Outcome outcome = Outcome::Send;
    ProducerSend message;
    WebSocketError error = WebSocketError::UnknownError; // 3 or 7 for ErrorAck
    QString errorMsg;
    std::optional<QString> context; // absent when the JSON could not be read
    int closeCode = 0;              // CloseCode::InternalError (1011)
    QString closeReason;

    // The error ack Pulsar sends for an ErrorAck outcome.
    ProducerAck errorAck() const;
};

// clientSideEncryption: the producer was opened with encryptionKeys (spec 3.8), which makes Pulsar check
// encryptionParam, compressionType and uncompressedMessageSize.
// wantPayloadBase64 false leaves message.payloadBase64 empty (a server that stores the decoded bytes saves a copy).
ProducerSendDecode decodeProducerSend(QByteArrayView utf8, bool clientSideEncryption = false,
                                      bool wantPayloadBase64 = true);

// Server -> producer ack (spec 3.2, WS/data/ProducerAck.java).
struct ProducerAck
{
    QString result = QString::fromLatin1(kResultOk);
    std::optional<QString> errorMsg;
    std::optional<QString> messageId;
    std::optional<QString> context;
    int errorCode = 0;        // always 0 on the wire
    qint64 schemaVersion = 0; // always 0 on the wire

    static ProducerAck ok(const QString &messageId, const std::optional<QString> &context);
    static ProducerAck failure(WebSocketError error, const std::optional<QString> &errorMsg,
                               const std::optional<QString> &context);

    bool isOk() const { return result == QLatin1String(kResultOk); }
    // nullopt for "ok", the code for "send-error:N" (UnknownError for an unknown result).
    std::optional<WebSocketError> failureCode() const { return parseSendResult(result); }

    // {"result":"ok","messageId":"CAAQAzAA","context":"1","errorCode":0,"schemaVersion":0}
    QByteArray encode() const;
    // The server's hot path: an ok ack from the already-base64 id.
    static QByteArray encodeOk(QByteArrayView messageIdBase64, const std::optional<QString> &context);
    // The same text as QString::fromUtf8(encodeOk(...)), for QWebSocket::sendTextMessage (which takes a QString):
    // built in UTF-16 directly when the context needs no escaping, saving a UTF-8 buffer and its conversion.
    static QString encodeOkText(QByteArrayView messageIdBase64, const std::optional<QString> &context);
    // Lenient (client side): unknown fields ignored, numbers accepted for strings; needs an object with "result".
    static Result<ProducerAck> decode(QByteArrayView utf8);
};

// One data key of an encrypted message: the recipient's key name, the encrypted data key, its metadata.
struct EncryptionKeyEntry
{
    QString name;
    QByteArray keyValue;
    Properties metadata;
};

// ConsumerMessage.encryptionContext (spec 3.3, pulsar-client-api EncryptionContext.java).
struct EncryptionContext
{
    QList<EncryptionKeyEntry> keys;
    QByteArray param; // the IV
    std::optional<QString> algorithm;
    std::optional<QString> compressionType;
    int uncompressedMessageSize = 0;
    std::optional<int> batchSize;  // written as JSON null when absent (Optional.empty with Jdk8Module)
    std::optional<bool> encrypted; // Pulsar 4.1+ (PIP-432); absent from older servers
};

// Server -> consumer/reader message (spec 3.3, WS/data/ConsumerMessage.java).
struct ConsumerMessage
{
    QString messageId;  // base64, echoed verbatim in acks
    QByteArray payload; // decoded bytes
    Properties properties;
    QString publishTime;
    int redeliveryCount = 0;
    std::optional<QString> eventTime;
    std::optional<EncryptionContext> encryptionContext;
    std::optional<QString> key;

    QByteArray encode() const;
    // Lenient (client side); errors name the field: InvalidJson, InvalidBase64 (payload) or InvalidField.
    static Result<ConsumerMessage> decode(QByteArrayView utf8);
};

// Everything a server needs to write one ConsumerMessage without intermediate copies: the id and the times are
// already ASCII, the payload is base64-encoded straight into the output.
struct ConsumerMessageView
{
    QByteArrayView messageIdBase64;
    QByteArrayView payload; // raw bytes, or base64 text when payloadIsBase64
    bool payloadIsBase64 = false;
    const Properties *properties = nullptr; // nullptr = {}
    QByteArrayView publishTime;
    int redeliveryCount = 0;
    QByteArrayView eventTime; // empty = absent
    const EncryptionContext *encryptionContext = nullptr;
    const QString *key = nullptr;
};
QByteArray encodeConsumerMessage(const ConsumerMessageView &message);

// {"endOfTopic":false} (spec 3.5).
struct EndOfTopicResponse
{
    bool endOfTopic = false;
    QByteArray encode() const;
    static Result<EndOfTopicResponse> decode(QByteArrayView utf8);
};

// A frame a consumer or reader receives: a message, or an end-of-topic answer (told apart by "messageId").
struct ConsumerServerFrame
{
    enum class Kind
    {
        Message,
        EndOfTopic,
    };
    Kind kind = Kind::Message;
    ConsumerMessage message;
    EndOfTopicResponse endOfTopic;

    static Result<ConsumerServerFrame> decode(QByteArrayView utf8);
};

// Client -> server consumer command (spec 3.4, WS/data/ConsumerCommand.java).
struct ConsumerCommand
{
    std::optional<QString> type;
    std::optional<QString> messageId;
    std::optional<int> permitMessages;

    static ConsumerCommand ack(const QString &messageId);
    static ConsumerCommand negativeAcknowledge(const QString &messageId);
    static ConsumerCommand permit(int messages);
    static ConsumerCommand unsubscribe();
    static ConsumerCommand isEndOfTopic();

    // Field order type, messageId, permitMessages; an ack is written without a type: {"messageId":"..."}.
    QByteArray encode() const;
    // The same text as QString::fromUtf8(encode()), built in UTF-16 for QWebSocket::sendTextMessage: a client acks
    // every message, and the UTF-8 buffer and its conversion cost about 700 of its 18,600 instructions per
    // consumed message.
    QString encodeText() const;
};

// What Pulsar's ConsumerHandler does with one text frame (spec 3.4, 5.2).
struct ConsumerCommandOutcome
{
    enum class Action
    {
        Ack,          // acknowledge messageIdText / messageId; the push window frees one slot
        NegativeAck,  // nack; frees one slot too
        Permit,       // pull mode: add permitMessages credits; push mode: nothing
        Unsubscribe,  // a failure closes with WebSocketError 3 (the proxy decides)
        IsEndOfTopic, // answer with EndOfTopicResponse
        Close,        // close the session: closeCode 3 (FailedToDeserializeFromJson) or 1011 with closeReason
    };
    Action action = Action::Close;
    QString messageIdText; // exactly as received
    MessageId messageId;
    int permitMessages = 0;
    int closeCode = 0;
    QString closeReason;
};
ConsumerCommandOutcome decodeConsumerCommand(QByteArrayView utf8);

// What Pulsar's ReaderHandler does with one text frame (spec 3.6): messageId is never parsed.
struct ReaderCommandOutcome
{
    enum class Action
    {
        FreeSlot,         // any frame but isEndOfTopic: one push-window slot is free again
        IsEndOfTopic,     // answer with EndOfTopicResponse
        FreeSlotAndClose, // malformed JSON: the slot is freed, then close with 3
        Close,            // JSON null: close with 1011 and closeReason
    };
    Action action = Action::FreeSlot;
    int closeCode = 0;
    QString closeReason;
};
ReaderCommandOutcome decodeReaderCommand(QByteArrayView utf8);

// The null-pointer texts a Java 17+ Pulsar puts in a 1011 close or an error ack (helpful NullPointerExceptions).
namespace JavaMessages {
inline constexpr char kNullPayload[] =
    "Cannot invoke \"String.getBytes(java.nio.charset.Charset)\" because \"src\" is null";
inline constexpr char kNullProducerMessage[] = "Cannot read field \"context\" because \"sendRequest\" is null";
inline constexpr char kNullCommand[] = "Cannot read field \"type\" because \"command\" is null";
} // namespace JavaMessages

} // namespace Pulsar
