#pragma once

#include "receivedmessage.h"

#include <QObject>
#include <QTimer>

#include <functional>

namespace Pulsar {

// Collects received messages and hands them over in batches per DeliveryPolicy. Internal to the client library.
// Memory: a batch never exceeds maxBatchMessages; the server's push window (<= 1000) or the caller's permits
// bound how many can arrive before the caller sees them.
class DeliveryBatcher final : public QObject
{
    Q_OBJECT
public:
    using Sink = std::function<void(QList<ReceivedMessage> &&)>;

    DeliveryBatcher(const DeliveryPolicy &policy, Sink sink, QObject *parent = nullptr);

    void add(ReceivedMessage &&message);
    void flush();
    int pendingCount() const { return int(m_batch.size()); }
    void clear();

private:
    DeliveryPolicy m_policy;
    Sink m_sink;
    QList<ReceivedMessage> m_batch;
    QTimer m_timer;
};

} // namespace Pulsar
