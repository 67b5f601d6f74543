#include "consumersession.h"

#include "deliverybatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcConsumer, "pulsar.client.consumer")

namespace Pulsar {

ConsumerSession::ConsumerSession(const ConnectionProfile &profile, const Endpoint &endpoint,
                                 const ConsumerSettings &settings, QObject *parent)
    : QObject(parent)
    , m_profile(profile)
    , m_endpoint(endpoint)
    , m_settings(settings)
{
    qRegisterMetaType<Pulsar::ReceivedMessage>();
    qRegisterMetaType<QList<Pulsar::ReceivedMessage>>();
    m_settings.options.token.reset();
    m_settings.maxTrackedUnacked = std::max(1, m_settings.maxTrackedUnacked);
    m_settings.maxRememberedIds = std::max(0, m_settings.maxRememberedIds);
    if (m_endpoint.kind == EndpointKind::MultiTopicConsumer && m_endpoint.topicsPattern.isEmpty()) {
        for (const QString &topic : std::as_const(m_endpoint.topics))
            m_trackIds = m_trackIds && !topic.startsWith(QLatin1String("non-persistent://"));
    } else {
        m_trackIds = m_endpoint.topic.isPersistent();
    }
    m_channel = new WebSocketChannel(profile, m_settings.channel, this);
    m_batcher = new DeliveryBatcher(
        m_settings.delivery, [this](QList<ReceivedMessage> &&batch) { deliver(std::move(batch)); }, this);
    connect(m_channel, &WebSocketChannel::textReceived, this, &ConsumerSession::onText);
    connect(m_channel, &WebSocketChannel::connected, this, &ConsumerSession::onConnected);
    connect(m_channel, &WebSocketChannel::disconnected, this, &ConsumerSession::onDisconnected);
    connect(m_channel, &WebSocketChannel::statusChanged, this, [this](const ChannelStatus &status) {
        if (status.state == ChannelState::Closed)
            m_batcher->clear(); // the caller asked to stop: nothing more is delivered
        else if (status.state == ChannelState::Failed)
            m_batcher->flush();
        Q_EMIT statusChanged(status);
    });
}

ConsumerSession::~ConsumerSession() = default;

void ConsumerSession::open()
{
    if (const auto invalid = m_settings.options.validate()) {
        m_channel->abortWith(ClientError::make(ClientErrorCode::InvalidConfiguration,
                                               QStringLiteral("Invalid query params: ") + invalid->message));
        return;
    }
    if (m_endpoint.kind != EndpointKind::Consumer && m_endpoint.kind != EndpointKind::MultiTopicConsumer) {
        m_channel->abortWith(
            ClientError::make(ClientErrorCode::InvalidConfiguration,
                              QCoreApplication::translate("Pulsar::ConsumerSession", "not a consumer endpoint")));
        return;
    }
    QueryItems query = m_settings.options.toQueryItems();
    query += m_settings.extraQueryItems;
    const Result<QUrl> url = endpointUrl(m_profile.serviceUrl, m_endpoint, query);
    if (!url) {
        m_channel->abortWith(ClientError::make(ClientErrorCode::InvalidConfiguration, url.error().message));
        return;
    }
    m_channel->open(*url);
}

void ConsumerSession::close()
{
    m_channel->close();
}

bool ConsumerSession::sendCommand(const ConsumerCommand &command)
{
    // Commands bypass the outgoing high-water mark: they are small and bounded by the messages delivered.
    return m_channel->sendTextString(command.encodeText());
}

void ConsumerSession::onConnected()
{
    m_queries.clear();
    if (m_settings.options.pullMode && m_outstandingPermits > 0)
        sendCommand(ConsumerCommand::permit(m_outstandingPermits)); // the new connection starts without credits
}

void ConsumerSession::onDisconnected(const ClientError &reason)
{
    // What already arrived is the caller's: hand it over now rather than after the reconnect.
    m_batcher->flush();
    m_queries.clear();
    if (m_unsubscribing) {
        m_unsubscribing = false;
        Q_EMIT unsubscribeFailed(reason);
    }
}

void ConsumerSession::onText(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    Result<ConsumerServerFrame> frame = ConsumerServerFrame::decode(utf8);
    if (!frame) {
        qCWarning(lcConsumer) << "unreadable frame from" << m_channel->displayUrl() << frame.error().message;
        return;
    }
    if (frame->kind == ConsumerServerFrame::Kind::EndOfTopic) {
        const Query query = m_queries.empty() ? Query::Caller : m_queries.front();
        if (!m_queries.empty())
            m_queries.pop_front();
        if (query == Query::UnsubscribeCheck) {
            // The server handles frames in order: the unsubscribe before this query succeeded.
            m_unsubscribing = false;
            Q_EMIT unsubscribed();
            close();
            return;
        }
        Q_EMIT endOfTopicReceived(frame->endOfTopic.endOfTopic);
        return;
    }

    ReceivedMessage received;
    received.message = std::move(frame.value().message);
    if (m_settings.options.pullMode && m_outstandingPermits > 0)
        --m_outstandingPermits;
    const Result<MessageId> id = MessageId::fromBase64(QStringView(received.message.messageId));
    if (id)
        received.id = *id;
    else
        qCWarning(lcConsumer) << "message with an undecodable id:" << received.message.messageId;
    if (!id || !m_trackIds) {
        received.redelivered = received.message.redeliveryCount > 0;
        m_batcher->add(std::move(received));
        return;
    }
    const auto remembered = m_remembered.constFind(received.id);
    if (remembered != m_remembered.cend() && remembered.value() == Remembered::Acked) {
        // The caller acked it, but the ack never reached the server (it was lost with a connection): ack again
        // instead of handing the caller a message it has already dealt with.
        sendCommand(ConsumerCommand::ack(received.message.messageId));
        ++m_suppressed;
        if (m_settings.options.pullMode) {
            ++m_outstandingPermits;
            sendCommand(ConsumerCommand::permit(1)); // the credit it used was the caller's
        }
        return;
    }
    // Ids mostly arrive in increasing order: a new highest id needs no search, and goes in at the end.
    const bool newest = m_unacked.isEmpty() || m_unacked.lastKey() < received.id;
    auto it = newest ? m_unacked.end() : m_unacked.find(received.id);
    received.redelivered =
        it != m_unacked.end() || remembered != m_remembered.cend() || received.message.redeliveryCount > 0;
    if (it != m_unacked.end()) {
        if (it->messageIdText != received.message.messageId) {
            m_unackedByText.remove(it->messageIdText);
            it->messageIdText = received.message.messageId;
            m_unackedByText.insert(it->messageIdText, received.id);
        }
        it->redeliveryCount = received.message.redeliveryCount;
        ++it->deliveries;
    } else {
        UnackedMessage entry;
        entry.messageIdText = received.message.messageId;
        entry.id = received.id;
        entry.redeliveryCount = received.message.redeliveryCount;
        entry.deliveries = 1;
        m_unacked.insert(m_unacked.cend(), received.id, entry); // a hint: right for the newest, harmless otherwise
        m_unackedByText.insert(entry.messageIdText, received.id);
        if (m_unacked.size() > m_settings.maxTrackedUnacked) {
            auto lowest = m_unacked.begin();
            m_unackedByText.remove(lowest->messageIdText);
            m_unacked.erase(lowest);
        }
    }
    m_batcher->add(std::move(received));
}

void ConsumerSession::deliver(QList<ReceivedMessage> &&batch)
{
    Q_EMIT messagesReceived(batch);
    if (m_settings.autoAck) {
        for (const ReceivedMessage &message : std::as_const(batch))
            acknowledge(message.message.messageId, false);
    }
}

void ConsumerSession::remember(const MessageId &id, Remembered what)
{
    if (m_settings.maxRememberedIds == 0)
        return;
    // One lookup: operator[] inserts when the id is new, which the size then tells.
    const qsizetype known = m_remembered.size();
    m_remembered[id] = what;
    if (m_remembered.size() == known)
        return;
    m_rememberedOrder.push_back(id);
    while (int(m_rememberedOrder.size()) > m_settings.maxRememberedIds) {
        m_remembered.remove(m_rememberedOrder.front());
        m_rememberedOrder.pop_front();
    }
}

bool ConsumerSession::acknowledge(const QString &messageIdText, bool negative)
{
    const auto byText = m_unackedByText.constFind(messageIdText);
    const bool known = byText != m_unackedByText.cend();
    if (known) {
        const MessageId id = byText.value();
        m_unackedByText.erase(byText);
        // Acks mostly come oldest first.
        if (!m_unacked.isEmpty() && m_unacked.firstKey() == id)
            m_unacked.erase(m_unacked.cbegin());
        else
            m_unacked.remove(id);
        remember(id, negative ? Remembered::Nacked : Remembered::Acked);
    }
    if (m_channel->isConnected()) {
        sendCommand(negative ? ConsumerCommand::negativeAcknowledge(messageIdText)
                             : ConsumerCommand::ack(messageIdText));
    }
    return known;
}

bool ConsumerSession::ack(const QString &messageIdText)
{
    return acknowledge(messageIdText, false);
}

bool ConsumerSession::ack(const MessageId &id)
{
    const auto it = m_unacked.constFind(id);
    // A copy: acknowledge() erases the entry the reference would point into.
    return it != m_unacked.cend() && acknowledge(QString(it->messageIdText), false);
}

int ConsumerSession::ack(const QStringList &messageIdTexts)
{
    int acked = 0;
    for (const QString &text : messageIdTexts)
        acked += acknowledge(text, false) ? 1 : 0;
    return acked;
}

int ConsumerSession::ackUpTo(const MessageId &id)
{
    QStringList texts;
    for (auto it = m_unacked.cbegin(); it != m_unacked.cend() && !(id < it.key()); ++it)
        texts.append(it->messageIdText);
    return ack(texts);
}

bool ConsumerSession::negativeAck(const QString &messageIdText)
{
    return acknowledge(messageIdText, true);
}

bool ConsumerSession::negativeAck(const MessageId &id)
{
    const auto it = m_unacked.constFind(id);
    return it != m_unacked.cend() && acknowledge(QString(it->messageIdText), true);
}

bool ConsumerSession::permit(int n)
{
    if (n <= 0 || !m_settings.options.pullMode)
        return false; // Pulsar turns a permit of 0 into one message, which is never what a caller means
    const ChannelState state = m_channel->state();
    if (state == ChannelState::Closed || state == ChannelState::Failed)
        return false;
    m_outstandingPermits += n;
    if (m_channel->isConnected())
        sendCommand(ConsumerCommand::permit(n));
    return true;
}

bool ConsumerSession::unsubscribe()
{
    if (!m_channel->isConnected() || m_unsubscribing)
        return false;
    m_unsubscribing = true;
    sendCommand(ConsumerCommand::unsubscribe());
    sendCommand(ConsumerCommand::isEndOfTopic());
    m_queries.push_back(Query::UnsubscribeCheck);
    return true;
}

bool ConsumerSession::queryEndOfTopic()
{
    if (!m_channel->isConnected())
        return false;
    sendCommand(ConsumerCommand::isEndOfTopic());
    m_queries.push_back(Query::Caller);
    return true;
}

QList<UnackedMessage> ConsumerSession::unacked() const
{
    return m_unacked.values();
}

int ConsumerSession::redeliveryCount(const QString &messageIdText) const
{
    const auto it = m_unackedByText.constFind(messageIdText);
    if (it == m_unackedByText.cend())
        return -1;
    return m_unacked.value(it.value()).redeliveryCount;
}

} // namespace Pulsar
