#include <QtTest>
class Tst_frames : public QObject
{
    Q_OBJECT
};
QTEST_GUILESS_MAIN(Tst_frames)
#include "tst_frames.moc"
