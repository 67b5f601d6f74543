#include "paneltabs.h"

#include <QApplication>
#include <QMenu>
#include <QMouseEvent>

namespace Gui {

namespace {
// How far outside the bar a drag must go before it tears the tab off, so that an ordinary sloppy reorder does not.
constexpr int kDetachDistance = 40;
} // namespace

DetachableTabBar::DetachableTabBar(QWidget *parent)
    : QTabBar(parent)
{
    setMovable(true);
    setTabsClosable(true);
    setElideMode(Qt::ElideRight);
}

void DetachableTabBar::mousePressEvent(QMouseEvent *event)
{
    m_pressedIndex = event->button() == Qt::LeftButton ? tabAt(event->position().toPoint()) : -1;
    QTabBar::mousePressEvent(event);
}

void DetachableTabBar::mouseMoveEvent(QMouseEvent *event)
{
    if (m_pressedIndex >= 0 && (event->buttons() & Qt::LeftButton)) {
        const QRect outer = rect().adjusted(-kDetachDistance, -kDetachDistance, kDetachDistance, kDetachDistance);
        if (!outer.contains(event->position().toPoint())) {
            const int index = m_pressedIndex;
            m_pressedIndex = -1;
            // Let QTabBar finish its own drag first, so the tab is back in place before its page moves away.
            QMouseEvent release(QEvent::MouseButtonRelease, event->position(), event->globalPosition(), Qt::LeftButton,
                                Qt::NoButton, event->modifiers());
            QTabBar::mouseReleaseEvent(&release);
            Q_EMIT detachRequested(index, event->globalPosition().toPoint());
            return;
        }
    }
    QTabBar::mouseMoveEvent(event);
}

void DetachableTabBar::mouseReleaseEvent(QMouseEvent *event)
{
    m_pressedIndex = -1;
    QTabBar::mouseReleaseEvent(event);
}

PanelTabs::PanelTabs(QWidget *parent)
    : QTabWidget(parent)
{
    auto *bar = new DetachableTabBar(this);
    bar->setObjectName(QStringLiteral("panelTabBar"));
    setTabBar(bar);
    setDocumentMode(true);
    connect(bar, &DetachableTabBar::detachRequested, this, [this](int index, const QPoint &globalPos) {
        if (QWidget *page = widget(index))
            Q_EMIT detachRequested(page, globalPos);
    });
    bar->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(bar, &QWidget::customContextMenuRequested, this, &PanelTabs::showTabMenu);
}

void PanelTabs::showTabMenu(const QPoint &pos)
{
    const int index = tabBar()->tabAt(pos);
    if (index < 0)
        return;
    QWidget *page = widget(index);
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QAction *detach = menu->addAction(tr("Move to New Window"));
    detach->setObjectName(QStringLiteral("detachTabAction"));
    connect(detach, &QAction::triggered, this, [this, page] {
        if (indexOf(page) >= 0)
            Q_EMIT detachRequested(page, QCursor::pos());
    });
    QAction *close = menu->addAction(tr("Close"));
    connect(close, &QAction::triggered, this, [this, page] {
        const int at = indexOf(page);
        if (at >= 0)
            Q_EMIT tabCloseRequested(at);
    });
    menu->popup(tabBar()->mapToGlobal(pos));
}

} // namespace Gui
