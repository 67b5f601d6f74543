#include <QtTest>
class Tst_wirestatus : public QObject
{
    Q_OBJECT
};
QTEST_GUILESS_MAIN(Tst_wirestatus)
#include "tst_wirestatus.moc"
