// HAND-WRITTEN compile-only stub (test/apps/media3-stubs/handwritten): not the real androidx.lifecycle.
// Only the shape MediaSessionService inherits matters here: a Service whose lifecycle callbacks
// subclasses may override and must call through to.
package androidx.lifecycle;

import android.content.Intent;
import android.os.IBinder;

public class LifecycleService extends android.app.Service {
  public LifecycleService() {}

  @Override
  public void onCreate() { throw new RuntimeException("stub"); }

  @Override
  public IBinder onBind(Intent intent) { throw new RuntimeException("stub"); }

  @Override
  public int onStartCommand(Intent intent, int flags, int startId) { throw new RuntimeException("stub"); }

  @Override
  public void onDestroy() { throw new RuntimeException("stub"); }
}
