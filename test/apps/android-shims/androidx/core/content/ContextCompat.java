// HAND-WRITTEN SHIM (test/apps/android-shims), not the real androidx.core.content.ContextCompat.
// Same signatures for the members the templates use; behaviour as documented for API 33+, where
// it forwards to the framework after the same flag validation.
package androidx.core.content;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.os.Build;
import android.os.Handler;
import java.util.concurrent.Executor;

public class ContextCompat {
  public static final int RECEIVER_VISIBLE_TO_INSTANT_APPS = 0x1;
  public static final int RECEIVER_EXPORTED = 0x2;
  public static final int RECEIVER_NOT_EXPORTED = 0x4;

  protected ContextCompat() {}

  public static Executor getMainExecutor(Context context) {
    if (Build.VERSION.SDK_INT >= 28) {
      return context.getMainExecutor();
    }
    throw new UnsupportedOperationException("harness shim: API < 28 is not modelled");
  }

  public static Intent registerReceiver(Context context, BroadcastReceiver receiver, IntentFilter filter, int flags) {
    return registerReceiver(context, receiver, filter, null, null, flags);
  }

  public static Intent registerReceiver(
      Context context, BroadcastReceiver receiver, IntentFilter filter, String broadcastPermission, Handler scheduler, int flags) {
    boolean exported = (flags & RECEIVER_EXPORTED) != 0;
    boolean notExported = (flags & RECEIVER_NOT_EXPORTED) != 0;
    if (exported == notExported) {
      throw new IllegalArgumentException("One of either RECEIVER_EXPORTED or RECEIVER_NOT_EXPORTED is required");
    }
    if (Build.VERSION.SDK_INT >= 33) {
      return context.registerReceiver(receiver, filter, broadcastPermission, scheduler, flags);
    }
    throw new UnsupportedOperationException("harness shim: API < 33 is not modelled");
  }
}
