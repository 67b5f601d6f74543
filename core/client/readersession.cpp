#include "readersession.h"

#include "deliverybatcher.h"

#include "protocol/endpoint.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcReader, "pulsar.client.reader")

namespace Pulsar {

ReaderSession::ReaderSession(const ConnectionProfile &profile, const TopicName &topic, const ReaderSettings &settings,
                             QObject *parent)
    : QObject(parent)
    , m_profile(profile)
    , m_topic(topic)
    , m_settings(settings)
{
    qRegisterMetaType<QList<Pulsar::ReceivedMessage>>();
    m_settings.options.token.reset();
    m_channel = new WebSocketChannel(profile, m_settings.channel, this);
    m_batcher = new DeliveryBatcher(
        m_settings.delivery, [this](QList<ReceivedMessage> &&batch) { deliver(std::move(batch)); }, this);
    connect(m_channel, &WebSocketChannel::textReceived, this, &ReaderSession::onText);
    connect(m_channel, &WebSocketChannel::disconnected, this, [this] {
        m_batcher->flush();
        // Resume after what the caller has: the reader's start is exclusive of the given id.
        if (!m_lastMessageId.isEmpty()) {
            QUrl url;
            ClientError error;
            if (buildUrl(&url, &error))
                m_channel->setUrl(url);
        }
    });
    connect(m_channel, &WebSocketChannel::statusChanged, this, [this](const ChannelStatus &status) {
        if (status.state == ChannelState::Closed)
            m_batcher->clear();
        else if (status.state == ChannelState::Failed)
            m_batcher->flush();
        Q_EMIT statusChanged(status);
    });
}

ReaderSession::~ReaderSession() = default;

bool ReaderSession::buildUrl(QUrl *url, ClientError *error) const
{
    ReaderOptions options = m_settings.options;
    if (!m_lastMessageId.isEmpty())
        options.messageId = m_lastMessageId;
    QueryItems query = options.toQueryItems();
    query += m_settings.extraQueryItems;
    const Result<QUrl> result = endpointUrl(m_profile.serviceUrl, Endpoint::reader(m_topic), query);
    if (!result) {
        *error = ClientError::make(ClientErrorCode::InvalidConfiguration, result.error().message);
        return false;
    }
    *url = *result;
    return true;
}

void ReaderSession::open()
{
    if (const auto invalid = m_settings.options.validate()) {
        m_channel->abortWith(ClientError::make(ClientErrorCode::InvalidConfiguration, invalid->message));
        return;
    }
    QUrl url;
    ClientError error;
    if (!buildUrl(&url, &error)) {
        m_channel->abortWith(error);
        return;
    }
    m_channel->open(url);
}

void ReaderSession::close()
{
    m_channel->close();
}

bool ReaderSession::queryEndOfTopic()
{
    return m_channel->isConnected() && m_channel->sendTextString(ConsumerCommand::isEndOfTopic().encodeText());
}

void ReaderSession::onText(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    Result<ConsumerServerFrame> frame = ConsumerServerFrame::decode(utf8);
    if (!frame) {
        // Still free the slot: the server counts frames, not ids, and a stuck window would stall the reader.
        qCWarning(lcReader) << "unreadable frame from" << m_channel->displayUrl() << frame.error().message;
        m_channel->sendTextString(QStringLiteral("{}"));
        return;
    }
    if (frame->kind == ConsumerServerFrame::Kind::EndOfTopic) {
        Q_EMIT endOfTopicReceived(frame->endOfTopic.endOfTopic);
        return;
    }
    ReceivedMessage received;
    received.message = std::move(frame.value().message);
    const Result<MessageId> id = MessageId::fromBase64(QStringView(received.message.messageId));
    if (id)
        received.id = *id;
    received.redelivered = received.message.redeliveryCount > 0;
    m_batcher->add(std::move(received));
}

void ReaderSession::deliver(QList<ReceivedMessage> &&batch)
{
    m_lastMessageId = batch.last().message.messageId;
    Q_EMIT messagesReceived(batch);
    // One frame per message handled: Pulsar's reader frees one window slot per frame.
    for (const ReceivedMessage &message : std::as_const(batch))
        m_channel->sendTextString(ConsumerCommand::ack(message.message.messageId).encodeText());
}

} // namespace Pulsar
