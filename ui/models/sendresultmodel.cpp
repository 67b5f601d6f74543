#include "models/sendresultmodel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

#include <algorithm>

namespace Gui {

SendResultModel::SendResultModel(int maxRows, QObject *parent)
    : QAbstractTableModel(parent)
    , m_maxRows(std::max(1, maxRows))
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &SendResultModel::flush);
}

void SendResultModel::scheduleFlush()
{
    m_changed = true;
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void SendResultModel::addPending(const QString &context, const QString &key, qint64 size)
{
    Row row;
    row.number = m_nextNumber++;
    row.sentAtMs = QDateTime::currentMSecsSinceEpoch();
    row.context = context;
    row.key = key;
    row.size = size;
    m_numberByContext.insert(context, row.number);
    m_rows.push_back(std::move(row));
    ++m_pending;
    scheduleFlush();
}

void SendResultModel::finish(const Pulsar::SendResult &result)
{
    const quint64 number = m_numberByContext.take(result.context);
    if (number == 0)
        return; // not a send of this model (or already finished)
    if (number < m_firstNumber) {
        // Its row was dropped by the cap: the totals still count it.
        --m_pending;
        if (result.ok)
            ++m_ok;
        else
            ++m_failed;
        scheduleFlush();
        return;
    }
    Row &row = m_rows[size_t(number - m_firstNumber)];
    if (row.status != Status::Pending)
        return;
    --m_pending;
    row.possibleDuplicate = result.possibleDuplicate;
    if (result.ok) {
        ++m_ok;
        row.status = Status::Ok;
        row.messageId = result.messageId;
        row.messageIdBase64 = result.messageIdBase64;
    } else {
        ++m_failed;
        row.status = Status::Failed;
        row.errorCode = int(result.errorCode);
        row.errorText = result.errorMsg;
    }
    if (number - m_firstNumber < quint64(m_visible)) {
        m_dirtyFirst = m_dirtyFirst == 0 ? number : std::min(m_dirtyFirst, number);
        m_dirtyLast = std::max(m_dirtyLast, number);
    }
    scheduleFlush();
}

void SendResultModel::flush()
{
    m_flushTimer.stop();
    if (!m_changed)
        return;
    m_changed = false;

    // Evict first so that the insert below never takes the model past its cap.
    const int excess = int(m_rows.size()) - m_maxRows;
    if (excess > 0) {
        const int visibleDropped = std::min(excess, m_visible);
        const auto drop = [this](int count) {
            // Pending rows keep their context entry, so that their verdict still reaches the totals.
            for (int i = 0; i < count; ++i)
                m_rows.pop_front();
            m_firstNumber += quint64(count);
        };
        if (visibleDropped > 0) {
            beginRemoveRows(QModelIndex(), 0, visibleDropped - 1);
            drop(visibleDropped);
            m_visible -= visibleDropped;
            endRemoveRows();
        }
        drop(excess - visibleDropped); // recorded but never shown: the view never knew them
        if (m_dirtyLast != 0 && m_dirtyLast < m_firstNumber) {
            m_dirtyFirst = 0;
            m_dirtyLast = 0;
        } else if (m_dirtyFirst != 0) {
            m_dirtyFirst = std::max(m_dirtyFirst, m_firstNumber);
        }
    }

    if (m_dirtyFirst != 0) {
        const int first = int(m_dirtyFirst - m_firstNumber);
        const int last = int(m_dirtyLast - m_firstNumber);
        m_dirtyFirst = 0;
        m_dirtyLast = 0;
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    }

    if (int(m_rows.size()) > m_visible) {
        beginInsertRows(QModelIndex(), m_visible, int(m_rows.size()) - 1);
        m_visible = int(m_rows.size());
        endInsertRows();
    }
    Q_EMIT flushed();
}

void SendResultModel::clear()
{
    m_flushTimer.stop();
    beginResetModel();
    m_rows.clear();
    m_visible = 0;
    m_firstNumber = m_nextNumber;
    m_numberByContext.clear();
    m_dirtyFirst = 0;
    m_dirtyLast = 0;
    m_pending = 0;
    m_ok = 0;
    m_failed = 0;
    m_changed = false;
    endResetModel();
    Q_EMIT flushed();
}

QString SendResultModel::statusText(Status status)
{
    switch (status) {
    case Status::Pending:
        return tr("pending");
    case Status::Ok:
        return tr("ok");
    case Status::Failed:
        return tr("failed");
    }
    return {};
}

int SendResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_visible;
}

int SendResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SendResultModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[size_t(index.row())];
    if (role == StatusRole)
        return int(r.status);
    if (role == MessageIdBase64Role)
        return r.messageIdBase64;
    if (role == Qt::ForegroundRole && index.column() == StatusColumn && r.status == Status::Failed)
        return QBrush(QColor(180, 0, 0));
    if (role == Qt::ToolTipRole) {
        if (index.column() == MessageIdColumn && r.status == Status::Ok)
            return r.messageIdBase64;
        if (index.column() == ErrorColumn)
            return r.errorText;
        if (index.column() == StatusColumn && r.possibleDuplicate)
            return tr("Written again after a reconnect: it may have been stored twice");
        return {};
    }
    if (role == Qt::TextAlignmentRole &&
        (index.column() == NumberColumn || index.column() == SizeColumn || index.column() == ErrorCodeColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    // Display strings are built here, on demand, for the visible rows only.
    switch (index.column()) {
    case NumberColumn:
        return QString::number(r.number);
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(r.sentAtMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    case StatusColumn:
        return r.possibleDuplicate ? tr("%1 (possible duplicate)").arg(statusText(r.status)) : statusText(r.status);
    case MessageIdColumn:
        return r.status == Status::Ok ? r.messageId.toString() : QString();
    case ErrorCodeColumn:
        return r.status == Status::Failed ? QString::number(r.errorCode) : QString();
    case ErrorColumn:
        return r.errorText.left(500);
    case KeyColumn:
        return r.key;
    case SizeColumn:
        return QLocale().formattedDataSize(r.size, 1, QLocale::DataSizeTraditionalFormat);
    case ContextColumn:
        return r.context;
    default:
        return {};
    }
}

QVariant SendResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NumberColumn:
        return tr("#");
    case TimeColumn:
        return tr("Sent");
    case StatusColumn:
        return tr("Status");
    case MessageIdColumn:
        return tr("Message ID");
    case ErrorCodeColumn:
        return tr("Error code");
    case ErrorColumn:
        return tr("Error");
    case KeyColumn:
        return tr("Key");
    case SizeColumn:
        return tr("Size");
    case ContextColumn:
        return tr("Context");
    default:
        return {};
    }
}

} // namespace Gui
