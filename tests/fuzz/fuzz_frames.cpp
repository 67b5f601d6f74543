// libFuzzer target: every JSON frame decoder, fed the same bytes. Decoders must never crash, hang or leak, and
// whatever they accept must survive a re-encode/decode round trip.
#include "protocol/frames.h"

#include <cstdint>
#include <cstdlib>

using namespace Pulsar;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

// Lone surrogates (from \ud800 escapes) cannot survive UTF-8: compare text as it looks after one trip.
QString norm(const QString &s)
{
    return QString::fromUtf8(s.toUtf8());
}

std::optional<QString> norm(const std::optional<QString> &s)
{
    return s ? std::optional<QString>(norm(*s)) : std::nullopt;
}

Properties norm(const Properties &p)
{
    Properties out;
    for (const auto &e : p)
        out.append({norm(e.first), norm(e.second)});
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    for (const bool e2e : {false, true}) {
        const ProducerSendDecode d = decodeProducerSend(input, e2e);
        switch (d.outcome) {
        case ProducerSendDecode::Outcome::Send: {
            // The client's encoding of what the server understood decodes to the same message.
            const ProducerSendDecode again = decodeProducerSend(d.message.encode(), e2e);
            check(again.outcome == ProducerSendDecode::Outcome::Send);
            check(again.message.payload == d.message.payload);
            check(norm(again.message.properties) == norm(d.message.properties));
            check(again.message.context == norm(d.message.context));
            check(again.message.key == norm(d.message.key));
            check(again.message.deliverAt == d.message.deliverAt);
            check(again.message.deliverAfterMs == d.message.deliverAfterMs);
            check(again.message.eventTimeMs == d.message.eventTimeMs);
            break;
        }
        case ProducerSendDecode::Outcome::ErrorAck: {
            const int code = int(d.error);
            check(code == 3 || code == 7);
            check(!d.errorAck().encode().isEmpty());
            break;
        }
        case ProducerSendDecode::Outcome::Close:
            check(d.closeCode == CloseCode::InternalError);
            break;
        }
    }

    const ConsumerCommandOutcome c = decodeConsumerCommand(input);
    if (c.action == ConsumerCommandOutcome::Action::Close)
        check(c.closeCode == 3 || c.closeCode == CloseCode::InternalError);
    if (c.action == ConsumerCommandOutcome::Action::Ack || c.action == ConsumerCommandOutcome::Action::NegativeAck)
        check(MessageId::fromBase64(QStringView(c.messageIdText)).ok());
    (void)decodeReaderCommand(input);

    const Result<ConsumerMessage> m = ConsumerMessage::decode(input);
    if (m.ok()) {
        const Result<ConsumerMessage> again = ConsumerMessage::decode(m->encode());
        check(again.ok());
        check(again->payload == m->payload);
        check(again->messageId == norm(m->messageId));
        check(again->properties == norm(m->properties));
        check(again->key == norm(m->key));
    }
    (void)ConsumerServerFrame::decode(input);
    (void)EndOfTopicResponse::decode(input);

    const Result<ProducerAck> a = ProducerAck::decode(input);
    if (a.ok()) {
        const Result<ProducerAck> again = ProducerAck::decode(a->encode());
        check(again.ok());
        check(again->result == norm(a->result) && again->context == norm(a->context) &&
              again->messageId == norm(a->messageId));
    }
    return 0;
}
