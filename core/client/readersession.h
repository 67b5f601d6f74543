#pragma once

#include "clienterror.h"
#include "connectionprofile.h"
#include "receivedmessage.h"
#include "websocketchannel.h"

#include "protocol/options.h"
#include "protocol/topicname.h"

#include <QObject>

#include <deque>

namespace Pulsar {

class DeliveryBatcher;

struct ReaderSettings
{
    // Where to start: options.messageId = "earliest", "latest" or a base64 id (exclusive: the reader starts
    // after it). options.token is ignored (the profile's counts).
    ReaderOptions options;
    DeliveryPolicy delivery;
    ChannelPolicy channel;
    QueryItems extraQueryItems;
};

// A reader of one topic over Pulsar's WebSocket API (/ws/v2/reader/...). It frees the server's push window by
// itself: Pulsar's reader counts any frame as "handled, send the next", so for every message one small frame
// ({"messageId":...}) goes back, written together right after the batch holding those messages has been handed
// to the caller. The window (receiverQueueSize, <= 1000) therefore keeps moving at the caller's pace without
// the caller doing anything. After a reconnect it resumes after the last message delivered.
class ReaderSession final : public QObject
{
    Q_OBJECT
public:
    ReaderSession(const ConnectionProfile &profile, const TopicName &topic,
                  const ReaderSettings &settings = ReaderSettings(), QObject *parent = nullptr);
    ~ReaderSession() override;

    void open();
    void close();
    // The answer comes as endOfTopicReceived().
    bool queryEndOfTopic();

    // The last message id delivered (base64, as received), empty before the first.
    QString lastMessageId() const { return m_lastMessageId; }

    WebSocketChannel *channel() const { return m_channel; }
    const ChannelStatus &status() const { return m_channel->status(); }

Q_SIGNALS:
    void messagesReceived(const QList<Pulsar::ReceivedMessage> &messages);
    void endOfTopicReceived(bool endOfTopic);
    void statusChanged(const Pulsar::ChannelStatus &status);

private:
    void onText(const QString &text);
    void deliver(QList<ReceivedMessage> &&batch);
    bool buildUrl(QUrl *url, ClientError *error) const;

    ConnectionProfile m_profile;
    TopicName m_topic;
    ReaderSettings m_settings;
    WebSocketChannel *m_channel = nullptr;
    DeliveryBatcher *m_batcher = nullptr;
    QString m_lastMessageId;
};

} // namespace Pulsar
