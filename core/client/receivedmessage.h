#pragma once

#include "protocol/frames.h"
#include "protocol/messageid.h"

#include <QList>
#include <QMetaType>

namespace Pulsar {

// One message as a consumer or reader session hands it to its caller.
struct ReceivedMessage
{
    ConsumerMessage message; // message.messageId is the id exactly as received: acks echo it
    MessageId id;            // decoded; ledgerId -1 when the server's id could not be decoded
    // This session delivered the same id before (a reconnect, a negative ack or an ack timeout brought it back),
    // or the server counts a redelivery. Exclusive and Failover subscriptions always report redeliveryCount 0,
    // so the first half is what makes those redeliveries visible.
    bool redelivered = false;
};

// How received messages reach the caller: in batches, never one signal per message. A batch is emitted when
// it holds maxBatchMessages, or maxBatchDelayMs after its first message arrived, whichever comes first, so a
// GUI gets at most 1000 / maxBatchDelayMs signals a second under any load (20 Hz by default) plus one per full
// batch. Pending messages are also flushed at once when the connection drops.
struct DeliveryPolicy
{
    int maxBatchMessages = 1000;
    int maxBatchDelayMs = 50;
};

} // namespace Pulsar

Q_DECLARE_METATYPE(Pulsar::ReceivedMessage)
