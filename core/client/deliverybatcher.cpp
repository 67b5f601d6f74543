#include "deliverybatcher.h"

#include <algorithm>

namespace Pulsar {

DeliveryBatcher::DeliveryBatcher(const DeliveryPolicy &policy, Sink sink, QObject *parent)
    : QObject(parent)
    , m_policy(policy)
    , m_sink(std::move(sink))
{
    m_policy.maxBatchMessages = std::max(1, m_policy.maxBatchMessages);
    m_policy.maxBatchDelayMs = std::max(0, m_policy.maxBatchDelayMs);
    m_timer.setSingleShot(true);
    m_timer.setInterval(m_policy.maxBatchDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &DeliveryBatcher::flush);
}

void DeliveryBatcher::add(ReceivedMessage &&message)
{
    if (m_batch.isEmpty()) {
        m_batch.reserve(std::min(m_policy.maxBatchMessages, 1024));
        m_timer.start();
    }
    m_batch.append(std::move(message));
    if (m_batch.size() >= m_policy.maxBatchMessages)
        flush();
}

void DeliveryBatcher::flush()
{
    m_timer.stop();
    if (m_batch.isEmpty())
        return;
    QList<ReceivedMessage> batch;
    batch.swap(m_batch);
    m_sink(std::move(batch));
}

void DeliveryBatcher::clear()
{
    m_timer.stop();
    m_batch.clear();
}

} // namespace Pulsar
