#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QTimer>

#include <deque>

namespace Gui {

// The application's log pane: every failure, state change and notable event of every panel, newest last. A
// capped model (oldest rows dropped in one block when the cap is passed), and fed in batches: add() only queues,
// a 20 Hz timer inserts what was queued with one beginInsertRows, so a burst of errors never repaints per row.
// Texts must already be free of secrets (core/client's redactSecrets() does that for URLs and Qt errors).
class EventLog final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Level
    {
        Info,
        Warning,
        Error,
    };
    enum Column
    {
        TimeColumn,
        LevelColumn,
        SourceColumn,
        TextColumn,
        ColumnCount
    };
    struct Entry
    {
        QDateTime time;
        Level level = Level::Info;
        QString source; // the panel or part that reported it: "Producer persistent://public/default/t", "Local service"
        QString text;
    };

    explicit EventLog(int maxEntries = 10000, QObject *parent = nullptr);

    // Queues one entry; it shows at the next flush (at most 50 ms later). Also emitted at once as entryAdded.
    void add(Level level, const QString &source, const QString &text);
    void info(const QString &source, const QString &text) { add(Level::Info, source, text); }
    void warning(const QString &source, const QString &text) { add(Level::Warning, source, text); }
    void error(const QString &source, const QString &text) { add(Level::Error, source, text); }
    // Inserts everything queued now (tests, and before the window closes).
    void flush();
    void clear();

    int maxEntries() const { return m_maxEntries; }
    const Entry &entry(int row) const { return m_entries[size_t(row)]; }
    static QString levelText(Level level);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void entryAdded(const Gui::EventLog::Entry &entry);

private:
    int m_maxEntries;
    std::deque<Entry> m_entries;
    std::deque<Entry> m_queued;
    QTimer m_flushTimer;
};

} // namespace Gui
