#pragma once

#include "models/messagetablemodel.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <functional>

class QCheckBox;
class QLabel;
class QPushButton;
class QSplitter;
class QTableView;

namespace Gui {

class MessageInspector;

// What consumer and reader panels share below their forms: the live message table (a capped, batch-fed
// MessageTableModel in a QTableView with fixed row heights, no sorting, no ResizeToContents, following the tail
// only while the user is at the bottom), the inspector of the current row, the counters (received, acked,
// pending, rate; refreshed at 4 Hz) and the toolbar (auto-ack, Ack, Nack, Pause, Clear). It holds no session:
// the panel is told of requests through signals and reports back what it did.
//
// Keys, only while the table has focus (Qt::WidgetShortcut, so they never fire from a form field): A acks the
// selected rows, N negatively acks them. Single letters rather than Delete or Ctrl+A: Ctrl+A stays "select
// all" and an ack is not a deletion (the row stays, its state changes).
class MessageStreamView final : public QWidget
{
    Q_OBJECT
public:
    enum class Mode
    {
        Consumer,
        Reader, // no acks: auto-ack, Ack, Nack and the acked/pending counters are hidden
    };

    explicit MessageStreamView(Mode mode, QWidget *parent = nullptr);

    MessageTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    MessageInspector *inspector() const { return m_inspector; }

    // A batch as the session delivered it.
    void addMessages(const QList<Pulsar::ReceivedMessage> &messages, MessageTableModel::AckState state);
    void countAcked(int count) { m_acked += count; }
    // Where the pending counter comes from (the consumer session's unacked count).
    void setPendingSource(std::function<int()> source) { m_pendingSource = std::move(source); }
    void resetCounters();
    qint64 receivedCount() const { return m_received; }
    qint64 ackedCount() const { return m_acked; }
    double rate() const { return m_rate; }
    // Refreshes the counter labels now (the 4 Hz timer does it otherwise).
    void updateCounters();

    // Selected rows, ascending.
    QList<int> selectedRows() const;
    bool autoAck() const;
    void setAutoAck(bool on);
    bool isPaused() const;
    void setPaused(bool paused);
    // Enables what needs a live session (ack, nack, pause).
    void setSessionActive(bool active);
    bool isFollowingTail() const { return m_followTail; }

    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state);

Q_SIGNALS:
    void ackRequested(const QList<int> &rows);
    void nackRequested(const QList<int> &rows);
    void pauseToggled(bool paused);
    void autoAckToggled(bool on);

private:
    void noteTail();
    void afterFlush(int inserted, int dropped);
    void showCurrent();
    void sizeColumns();

    Mode m_mode;
    MessageTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    MessageInspector *m_inspector = nullptr;
    QSplitter *m_splitter = nullptr;
    QCheckBox *m_autoAck = nullptr;
    QPushButton *m_ack = nullptr;
    QPushButton *m_nack = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_clear = nullptr;
    QLabel *m_receivedLabel = nullptr;
    QLabel *m_ackedLabel = nullptr;
    QLabel *m_pendingLabel = nullptr;
    QLabel *m_rateLabel = nullptr;
    QLabel *m_rowsLabel = nullptr;
    QTimer m_counterTimer;
    QElapsedTimer m_rateClock;
    std::function<int()> m_pendingSource;
    qint64 m_received = 0;
    qint64 m_acked = 0;
    // Rate over the last second: (time, received) samples taken at each counter refresh.
    QList<QPair<qint64, qint64>> m_rateSamples;
    double m_rate = 0;
    bool m_followTail = true;
    bool m_tailNoted = false;
};

} // namespace Gui
