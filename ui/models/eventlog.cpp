#include "eventlog.h"

#include <QBrush>
#include <QColor>

namespace Gui {

EventLog::EventLog(int maxEntries, QObject *parent)
    : QAbstractTableModel(parent)
    , m_maxEntries(qMax(1, maxEntries))
{
    m_flushTimer.setInterval(50);
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &EventLog::flush);
}

void EventLog::add(Level level, const QString &source, const QString &text)
{
    Entry entry{QDateTime::currentDateTime(), level, source, text};
    Q_EMIT entryAdded(entry);
    m_queued.push_back(std::move(entry));
    // More queued than the cap can show: the oldest queued ones would be evicted at once anyway.
    while (int(m_queued.size()) > m_maxEntries)
        m_queued.pop_front();
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void EventLog::flush()
{
    m_flushTimer.stop();
    if (m_queued.empty())
        return;
    const int incoming = int(m_queued.size());
    const int overflow = int(m_entries.size()) + incoming - m_maxEntries;
    if (overflow > 0) {
        const int evict = qMin(overflow, int(m_entries.size()));
        beginRemoveRows(QModelIndex(), 0, evict - 1);
        m_entries.erase(m_entries.begin(), m_entries.begin() + evict);
        endRemoveRows();
    }
    const int first = int(m_entries.size());
    beginInsertRows(QModelIndex(), first, first + incoming - 1);
    for (Entry &entry : m_queued)
        m_entries.push_back(std::move(entry));
    m_queued.clear();
    endInsertRows();
}

void EventLog::clear()
{
    m_flushTimer.stop();
    m_queued.clear();
    if (m_entries.empty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

QString EventLog::levelText(Level level)
{
    switch (level) {
    case Level::Info:
        return tr("Info");
    case Level::Warning:
        return tr("Warning");
    case Level::Error:
        return tr("Error");
    }
    return QString();
}

int EventLog::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int EventLog::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLog::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Entry &e = m_entries[size_t(index.row())];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case TimeColumn:
            return role == Qt::DisplayRole ? e.time.toString(QStringLiteral("HH:mm:ss.zzz"))
                                           : e.time.toString(Qt::ISODateWithMs);
        case LevelColumn:
            return levelText(e.level);
        case SourceColumn:
            return e.source;
        case TextColumn:
            return e.text;
        default:
            return QVariant();
        }
    }
    if (role == Qt::ForegroundRole && e.level == Level::Error)
        return QBrush(QColor(0xc0, 0x1c, 0x28));
    if (role == Qt::ForegroundRole && e.level == Level::Warning)
        return QBrush(QColor(0x98, 0x6a, 0x00));
    return QVariant();
}

QVariant EventLog::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case LevelColumn:
        return tr("Level");
    case SourceColumn:
        return tr("Source");
    case TextColumn:
        return tr("Message");
    default:
        return QVariant();
    }
}

} // namespace Gui
