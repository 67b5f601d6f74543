#include <QtTest>
class Tst_messageid : public QObject
{
    Q_OBJECT
};
QTEST_GUILESS_MAIN(Tst_messageid)
#include "tst_messageid.moc"
