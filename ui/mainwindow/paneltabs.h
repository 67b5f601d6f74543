#pragma once

#include <QPoint>
#include <QTabBar>
#include <QTabWidget>

namespace Gui {

// A tab bar whose tabs can be dragged out: when the user drags a tab well outside the bar, detachRequested() says
// which and where, so the owner can move that page into a window of its own. Moving tabs within the bar still
// works as usual (QTabBar's movable tabs).
class DetachableTabBar final : public QTabBar
{
    Q_OBJECT
public:
    explicit DetachableTabBar(QWidget *parent = nullptr);

Q_SIGNALS:
    void detachRequested(int index, const QPoint &globalPos);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    int m_pressedIndex = -1;
};

// The main window's panel tabs: closable, movable, with tabs that tear off into their own windows (drag a tab out
// of the bar, or its context menu's "Move to New Window"). The owner decides what a detached page becomes.
class PanelTabs final : public QTabWidget
{
    Q_OBJECT
public:
    explicit PanelTabs(QWidget *parent = nullptr);

Q_SIGNALS:
    void detachRequested(QWidget *page, const QPoint &globalPos);

private:
    void showTabMenu(const QPoint &pos);
};

} // namespace Gui
