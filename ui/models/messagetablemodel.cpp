#include "messagetablemodel.h"

#include <QDateTime>
#include <QLocale>
#include <QSet>
#include <QStringDecoder>

#include <algorithm>

namespace Gui {

namespace {

constexpr int kPreviewCacheEntries = 2048; // a few screens of rows, of two cached columns

QString elided(QString text, int maxChars)
{
    if (text.size() > maxChars) {
        text.truncate(maxChars);
        text.append(QChar(0x2026));
    }
    return text;
}

} // namespace

MessageTableModel::MessageTableModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_previewCache(kPreviewCacheEntries)
{
    m_flushTimer.setInterval(DefaultFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &MessageTableModel::flush);
}

MessageTableModel::~MessageTableModel() = default;

MessageTableModel::Row MessageTableModel::compact(const Pulsar::ReceivedMessage &message, qint64 arrivalMs,
                                                  AckState state)
{
    Row row;
    const Pulsar::ConsumerMessage &m = message.message;
    row.messageIdText = m.messageId;
    row.payload = m.payload;
    row.publishTime = m.publishTime;
    row.ledgerId = message.id.ledgerId;
    row.entryId = message.id.entryId;
    row.partition = message.id.partition;
    row.batchIndex = message.id.batchIndex;
    row.arrivalMs = arrivalMs;
    row.redeliveryCount = m.redeliveryCount;
    row.redelivered = message.redelivered;
    row.ack = state;
    const bool plainId = message.id.batchSize == 0 && message.id.hasBatchSize && !message.id.firstChunk;
    if (!m.properties.isEmpty() || m.key || m.eventTime || m.encryptionContext || !plainId) {
        auto extras = std::make_shared<Extras>();
        extras->properties = m.properties;
        extras->key = m.key;
        extras->eventTime = m.eventTime;
        extras->encryptionContext = m.encryptionContext;
        extras->firstChunk = message.id.firstChunk;
        extras->batchSize = message.id.batchSize;
        extras->hasBatchSize = message.id.hasBatchSize;
        row.extras = std::move(extras);
    }
    return row;
}

void MessageTableModel::append(const QList<Pulsar::ReceivedMessage> &messages, AckState state)
{
    if (messages.isEmpty())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const Pulsar::ReceivedMessage &message : messages) {
        m_queued.push_back(compact(message, now, state));
        m_queued.back().sequence = m_nextSequence++;
    }
    m_totalAppended += messages.size();
    // More queued than the cap can ever show: the oldest of them would be evicted by this very flush anyway.
    const size_t cap = size_t(std::max(1, m_maxRows));
    while (m_queued.size() > cap) {
        m_queued.pop_front();
        ++m_dropped;
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void MessageTableModel::flush()
{
    const int incoming = int(m_queued.size());
    int dropped = 0;
    if (incoming > 0) {
        const int overflow = int(m_rows.size()) + incoming - m_maxRows;
        if (overflow > 0) {
            dropped = std::min(overflow, int(m_rows.size()));
            dropOldest(dropped);
        }
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + incoming - 1);
        std::move(m_queued.begin(), m_queued.end(), std::back_inserter(m_rows));
        m_queued.clear();
        endInsertRows();
    } else {
        m_flushTimer.stop(); // idle: nothing to do until the next append or ack change
    }

    if (m_dirtyFirst >= 0 && !m_rows.empty()) {
        const qint64 base = m_rows.front().sequence;
        const qint64 last = m_rows.back().sequence;
        const qint64 from = std::max(m_dirtyFirst, base);
        const qint64 to = std::min(m_dirtyLast, last);
        if (from <= to)
            Q_EMIT dataChanged(index(int(from - base), AckStateColumn), index(int(to - base), AckStateColumn),
                               {Qt::DisplayRole});
    }
    m_dirtyFirst = m_dirtyLast = -1;
    if (incoming > 0)
        Q_EMIT flushed(incoming, dropped);
}

void MessageTableModel::dropOldest(int count)
{
    if (count <= 0)
        return;
    beginRemoveRows(QModelIndex(), 0, count - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + count);
    endRemoveRows();
    m_dropped += count;
}

void MessageTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_queued.clear();
    m_previewCache.clear();
    m_totalAppended = 0;
    m_dropped = 0;
    m_dirtyFirst = m_dirtyLast = -1;
    endResetModel();
}

void MessageTableModel::setMaxRows(int rows)
{
    m_maxRows = std::max(1, rows);
    while (m_queued.size() > size_t(m_maxRows)) {
        m_queued.pop_front();
        ++m_dropped;
    }
    const int overflow = int(m_rows.size()) - m_maxRows;
    if (overflow > 0)
        dropOldest(overflow);
}

void MessageTableModel::setFlushInterval(int ms)
{
    m_flushTimer.setInterval(std::clamp(ms, 20, 100));
}

Pulsar::ReceivedMessage MessageTableModel::message(int row) const
{
    Pulsar::ReceivedMessage result;
    if (row < 0 || row >= int(m_rows.size()))
        return result;
    const Row &r = rowAt(row);
    Pulsar::ConsumerMessage &m = result.message;
    m.messageId = r.messageIdText;
    m.payload = r.payload;
    m.publishTime = r.publishTime;
    m.redeliveryCount = r.redeliveryCount;
    result.id.ledgerId = r.ledgerId;
    result.id.entryId = r.entryId;
    result.id.partition = r.partition;
    result.id.batchIndex = r.batchIndex;
    result.redelivered = r.redelivered;
    if (r.extras) {
        m.properties = r.extras->properties;
        m.key = r.extras->key;
        m.eventTime = r.extras->eventTime;
        m.encryptionContext = r.extras->encryptionContext;
        result.id.firstChunk = r.extras->firstChunk;
        result.id.batchSize = r.extras->batchSize;
        result.id.hasBatchSize = r.extras->hasBatchSize;
    }
    return result;
}

QString MessageTableModel::messageIdText(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? rowAt(row).messageIdText : QString();
}

qint64 MessageTableModel::arrivalMs(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? rowAt(row).arrivalMs : 0;
}

MessageTableModel::AckState MessageTableModel::ackState(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? rowAt(row).ack : AckState::NotAcked;
}

void MessageTableModel::markDirty(qint64 sequence)
{
    if (m_dirtyFirst < 0) {
        m_dirtyFirst = m_dirtyLast = sequence;
    } else {
        m_dirtyFirst = std::min(m_dirtyFirst, sequence);
        m_dirtyLast = std::max(m_dirtyLast, sequence);
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void MessageTableModel::setAckState(const QList<int> &rows, AckState state)
{
    for (int row : rows) {
        if (row < 0 || row >= int(m_rows.size()))
            continue;
        Row &r = m_rows[size_t(row)];
        if (r.ack == state)
            continue;
        r.ack = state;
        markDirty(r.sequence);
    }
}

int MessageTableModel::setAckStateByIds(const QStringList &ids, AckState state)
{
    QSet<QString> wanted(ids.begin(), ids.end());
    int changed = 0;
    // Newest first: the ids looked for are those of recent deliveries, so the scan usually stops early.
    for (auto it = m_queued.rbegin(); it != m_queued.rend() && !wanted.isEmpty(); ++it) {
        if (it->ack == AckState::Pending && wanted.remove(it->messageIdText)) {
            it->ack = state;
            ++changed;
        }
    }
    for (auto it = m_rows.rbegin(); it != m_rows.rend() && !wanted.isEmpty(); ++it) {
        if (it->ack == AckState::Pending && wanted.remove(it->messageIdText)) {
            it->ack = state;
            markDirty(it->sequence);
            ++changed;
        }
    }
    return changed;
}

QString MessageTableModel::ackStateText(AckState state)
{
    switch (state) {
    case AckState::NotAcked:
        return QString();
    case AckState::Pending:
        return tr("pending");
    case AckState::Acked:
        return tr("acked");
    case AckState::Nacked:
        return tr("nacked");
    }
    return QString();
}

QString MessageTableModel::previewOf(const QByteArray &payload, int maxChars)
{
    // Decode only what can be shown: a few bytes more than the characters wanted (UTF-8 is up to 4 a char).
    qsizetype n = std::min(payload.size(), qsizetype(maxChars) * 4);
    if (n < payload.size()) {
        // Cut before a multi-byte sequence the limit splits, so the cut is not taken for invalid UTF-8.
        qsizetype i = n;
        while (i > 0 && n - i < 3 && (uchar(payload[i - 1]) & 0xC0) == 0x80)
            --i;
        if (i > 0 && uchar(payload[i - 1]) >= 0xC0)
            n = i - 1;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(QByteArrayView(payload.constData(), n));
    bool binary = decoder.hasError();
    if (!binary) {
        int control = 0;
        for (QChar &c : text) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
                if (c != QLatin1Char('\n') && c != QLatin1Char('\r') && c != QLatin1Char('\t'))
                    ++control;
                c = QLatin1Char(' ');
            }
        }
        binary = control > text.size() / 10; // mostly text with a few stray bytes still reads as text
    }
    if (binary) {
        const QByteArray hex = payload.left(maxChars / 3 + 1).toHex(' ');
        return elided(QString::fromLatin1(hex), maxChars - 1);
    }
    return elided(text, maxChars);
}

QString MessageTableModel::propertiesText(const Pulsar::Properties &properties, int maxChars)
{
    QString text;
    for (const auto &property : properties) {
        if (!text.isEmpty())
            text += QStringLiteral(", ");
        text += property.first % QLatin1Char('=') % property.second;
        if (text.size() > maxChars)
            break;
    }
    return elided(text, maxChars);
}

QString MessageTableModel::sampleText(Column column)
{
    switch (column) {
    case ArrivalColumn:
        return QStringLiteral("00:00:00.000");
    case PublishTimeColumn:
        return QStringLiteral("2026-01-01T00:00:00.000Z");
    case MessageIdColumn:
        return QStringLiteral("123456:123456:-1:-1");
    case KeyColumn:
        return QStringLiteral("key-00000");
    case PropertiesColumn:
        return QStringLiteral("name=value, name=value");
    case SizeColumn:
        return QStringLiteral("000000");
    case PayloadColumn:
        return QString(60, QLatin1Char('x'));
    case RedeliveryColumn:
        return QStringLiteral("00");
    case AckStateColumn:
        return QStringLiteral("pending");
    case ColumnCount:
        break;
    }
    return QString();
}

QString MessageTableModel::displayText(const Row &row, int column) const
{
    switch (column) {
    case ArrivalColumn:
        return QDateTime::fromMSecsSinceEpoch(row.arrivalMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    case PublishTimeColumn:
        return row.publishTime;
    case MessageIdColumn:
        if (row.ledgerId < 0)
            return row.messageIdText; // not decodable: the server's text is all there is
        return QString::number(row.ledgerId) % QLatin1Char(':') % QString::number(row.entryId) % QLatin1Char(':') %
               QString::number(row.partition) % QLatin1Char(':') % QString::number(row.batchIndex);
    case KeyColumn:
        return row.extras && row.extras->key ? elided(*row.extras->key, PreviewChars) : QString();
    case PropertiesColumn:
    case PayloadColumn: {
        if (column == PropertiesColumn && (!row.extras || row.extras->properties.isEmpty()))
            return QString();
        // Two columns share the cache: the sign of the key tells them apart.
        const qint64 key = column == PayloadColumn ? row.sequence : -row.sequence - 1;
        if (const QString *cached = m_previewCache.object(key))
            return *cached;
        const QString text = column == PayloadColumn ? previewOf(row.payload) : propertiesText(row.extras->properties);
        m_previewCache.insert(key, new QString(text));
        return text;
    }
    case SizeColumn:
        return QString::number(row.payload.size());
    case RedeliveryColumn:
        return QString::number(row.redeliveryCount);
    case AckStateColumn:
        return ackStateText(row.ack);
    }
    return QString();
}

int MessageTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MessageTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MessageTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Row &row = rowAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == MessageIdColumn)
            return row.messageIdText;
        if (index.column() == RedeliveryColumn && row.redelivered)
            return tr("Delivered again (redelivery count %1)").arg(row.redeliveryCount);
        return QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == RedeliveryColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant();
    case MessageIdTextRole:
        return row.messageIdText;
    case PayloadRole:
        return row.payload;
    default:
        return QVariant();
    }
}

QVariant MessageTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ArrivalColumn:
        return tr("Arrived");
    case PublishTimeColumn:
        return tr("Published");
    case MessageIdColumn:
        return tr("Message id");
    case KeyColumn:
        return tr("Key");
    case PropertiesColumn:
        return tr("Properties");
    case SizeColumn:
        return tr("Size");
    case PayloadColumn:
        return tr("Payload");
    case RedeliveryColumn:
        return tr("Redeliveries");
    case AckStateColumn:
        return tr("Ack");
    }
    return QVariant();
}

} // namespace Gui
