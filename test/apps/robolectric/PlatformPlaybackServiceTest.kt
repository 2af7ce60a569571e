// Runs the generated `--android-stack platform` PlaybackService, exactly as `audiobg init` wrote it
// (Kotlin) or `audiobg add` wrote it into a Java-only module (Java), under Robolectric, on the
// lowest SDK the template supports and on the newest this JDK runs (the harness picks both), and checks what a user would notice: focus, foreground, notification, noisy
// audio, session commands, clean-up. The harness generates the app with the id below, links its
// resources with aapt2 (so getString() and R.raw work as on a device), compiles the app and this
// file, and runs it with JUnit (test/apps/lib/android.mjs).
package org.audiobg.harnessapp

import android.Manifest
import android.app.Application
import android.app.Notification
import android.app.NotificationManager
import android.content.ComponentName
import android.content.Intent
import android.content.pm.PackageManager
import android.content.pm.ServiceInfo
import android.media.AudioAttributes
import android.media.AudioManager
import android.media.MediaPlayer
import android.media.session.MediaSession
import android.os.Build
import android.os.Looper
import android.os.Process
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.android.controller.ServiceController
import org.robolectric.annotation.ConscryptMode
import org.robolectric.shadows.ShadowMediaPlayer

// Each test delegates to the same-named scenario below (JUnit inspects this class with plain
// reflection outside Robolectric's sandbox, so it stays free of framework types). Conscrypt is off:
// nothing here uses TLS, and outside the sandbox it would probe the plain framework classes.
@ConscryptMode(ConscryptMode.Mode.OFF)
@RunWith(RobolectricTestRunner::class)
class PlatformPlaybackServiceTest {
    private lateinit var scenarios: PlaybackServiceScenarios

    @Before
    fun createService() {
        scenarios = PlaybackServiceScenarios()
    }

    @Test
    fun playRequestsMediaFocusAndEntersTheForegroundWithAMediaNotification() = scenarios.playRequestsMediaFocusAndEntersTheForegroundWithAMediaNotification()

    @Test
    fun manifestDeclaresTheMediaPlaybackServiceTypeAndItsPermissions() = scenarios.manifestDeclaresTheMediaPlaybackServiceTypeAndItsPermissions()

    @Test
    fun playWithoutFocusStaysSilentAndInTheBackground() = scenarios.playWithoutFocusStaysSilentAndInTheBackground()

    @Test
    fun permanentFocusLossPausesAndDoesNotResumeByItself() = scenarios.permanentFocusLossPausesAndDoesNotResumeByItself()

    @Test
    fun transientFocusLossPausesAndRegainingFocusResumes() = scenarios.transientFocusLossPausesAndRegainingFocusResumes()

    @Test
    fun canDuckLowersTheVolumeAndRegainingFocusRestoresIt() = scenarios.canDuckLowersTheVolumeAndRegainingFocusRestoresIt()

    @Test
    fun becomingNoisyPauses() = scenarios.becomingNoisyPauses()

    @Test
    fun pauseLeavesTheForegroundButKeepsTheNotification() = scenarios.pauseLeavesTheForegroundButKeepsTheNotification()

    @Test
    fun stopRemovesTheNotificationAndStopsTheService() = scenarios.stopRemovesTheNotificationAndStopsTheService()

    @Test
    fun onDestroyReleasesThePlayerAndTheSession() = scenarios.onDestroyReleasesThePlayerAndTheSession()

    @Test
    fun mediaSessionCommandsDriveThePlayer() = scenarios.mediaSessionCommandsDriveThePlayer()
}

/** One instance per test: init creates a fresh service, as Android would on the first start command. */
class PlaybackServiceScenarios {
    private lateinit var controller: ServiceController<PlaybackService>
    private lateinit var service: PlaybackService
    private var startId = 0

    private val app: Application get() = RuntimeEnvironment.getApplication()
    private val audioManager: AudioManager get() = app.getSystemService(AudioManager::class.java)
    private val notificationManager: NotificationManager get() = app.getSystemService(NotificationManager::class.java)

    init {
        // Robolectric's MediaPlayer decodes nothing; describe every data source as 30 s of audio
        // that is ready at once.
        ShadowMediaPlayer.setMediaInfoProvider { ShadowMediaPlayer.MediaInfo(30_000, 0) }
        controller = Robolectric.buildService(PlaybackService::class.java)
        service = controller.create().get()
        idle()
    }

    // ---------------------------------------------------------------- helpers

    private fun idle() = shadowOf(Looper.getMainLooper()).idle()

    /** What the activity's buttons and the notification actions do: an intent to the service. */
    private fun send(action: String) {
        controller.withIntent(Intent(app, PlaybackService::class.java).setAction(action)).startCommand(0, ++startId)
        idle()
    }

    /** The service's own objects, found by type (the generated code keeps them private). */
    private fun <T> fieldOfType(type: Class<T>): T? {
        for (f in PlaybackService::class.java.declaredFields) {
            if (type.isAssignableFrom(f.type)) {
                f.isAccessible = true
                @Suppress("UNCHECKED_CAST")
                return f.get(service) as T?
            }
        }
        return null
    }

    private fun player(): MediaPlayer =
        fieldOfType(MediaPlayer::class.java) ?: throw AssertionError("PlaybackService holds no MediaPlayer (MediaPlayer.create returned null?)")

    private fun playing(): Boolean = player().isPlaying

    private fun session(): MediaSession =
        fieldOfType(MediaSession::class.java) ?: throw AssertionError("PlaybackService holds no MediaSession")

    /** The listener the service registered with its focus request: where the system reports focus changes. */
    private fun focusListener(): AudioManager.OnAudioFocusChangeListener {
        val request = shadowOf(audioManager).lastAudioFocusRequest ?: throw AssertionError("no audio focus was requested")
        return request.audioFocusRequest?.onAudioFocusChangeListener ?: request.listener
            ?: throw AssertionError("the focus request has no listener: focus changes would go unnoticed")
    }

    private fun focusChange(change: Int) {
        focusListener().onAudioFocusChange(change)
        idle()
    }

    /**
     * Delivers a transport command the way the system does for lock-screen, Bluetooth and
     * notification controls: through the session's binder callback (MediaSession.CallbackStub).
     */
    private fun sessionCommand(session: MediaSession, command: String) {
        val stubField = MediaSession::class.java.declaredFields.first { it.type.simpleName == "CallbackStub" }
        stubField.isAccessible = true
        val stub = stubField.get(session)
        // Android 9+ passes the caller (package, pid, uid, ...); older releases take no arguments.
        val candidates = stub.javaClass.methods.filter { it.name == command }
        val method = candidates.firstOrNull { it.parameterTypes.firstOrNull() == String::class.java } ?: candidates.first { it.parameterTypes.isEmpty() }
        var ints = 0
        val args = method.parameterTypes.map { t ->
            when (t) {
                String::class.java -> "com.android.systemui"
                Int::class.javaPrimitiveType -> if (ints++ == 0) Process.myPid() else Process.myUid()
                else -> null
            }
        }
        method.invoke(stub, *args.toTypedArray())
        idle()
    }

    /**
     * Wraps the session's binder to the system (ISession, a hidden interface) so that its destroy(),
     * which MediaSession.release() calls on every release, is seen; the calls still go through.
     */
    private fun recordSessionDestroy(session: MediaSession): () -> Boolean {
        val field = MediaSession::class.java.getDeclaredField("mBinder")
        field.isAccessible = true
        val original = field.get(session)
        var destroyed = false
        val proxy = java.lang.reflect.Proxy.newProxyInstance(field.type.classLoader, arrayOf(field.type)) { _, method, args ->
            // destroy() on Android 6, destroySession() on Android 15 (renamed in between).
            if (method.name == "destroy" || method.name == "destroySession") destroyed = true
            try {
                method.invoke(original, *(args ?: emptyArray()))
            } catch (e: java.lang.reflect.InvocationTargetException) {
                throw e.targetException
            }
        }
        field.set(session, proxy)
        return { destroyed }
    }

    private fun lastForegroundNotification(): Notification =
        shadowOf(service).lastForegroundNotification ?: throw AssertionError("the service never entered the foreground")

    private fun assertMediaNotificationOfSession(n: Notification) {
        assertEquals("media-style notification", Notification.MediaStyle::class.java.name, n.extras.getString(Notification.EXTRA_TEMPLATE))
        // The typed getParcelable(key, Class) is API 33; the untyped one works on every level.
        @Suppress("DEPRECATION")
        val token = n.extras.getParcelable<MediaSession.Token>(Notification.EXTRA_MEDIA_SESSION)
        assertEquals("notification tied to the service's media session", session().sessionToken, token)
    }

    // ---------------------------------------------------------------- tests

    fun playRequestsMediaFocusAndEntersTheForegroundWithAMediaNotification() {
        send(PlaybackService.ACTION_PLAY)

        val focus = shadowOf(audioManager).lastAudioFocusRequest ?: throw AssertionError("play must request audio focus")
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O) {
            val request = focus.audioFocusRequest ?: throw AssertionError("on Android 8+ play must request audio focus with an AudioFocusRequest")
            assertEquals("focus gain", AudioManager.AUDIOFOCUS_GAIN, request.focusGain)
            assertEquals("focus request usage", AudioAttributes.USAGE_MEDIA, request.audioAttributes.usage)
        } else {
            // Android 6 and 7: the legacy request, where STREAM_MUSIC stands for USAGE_MEDIA.
            assertEquals("focus gain", AudioManager.AUDIOFOCUS_GAIN, focus.durationHint)
            assertEquals("focus stream", AudioManager.STREAM_MUSIC, focus.streamType)
        }
        assertTrue("the player plays", playing())

        val shadow = shadowOf(service)
        val n = lastForegroundNotification()
        assertFalse("still in the foreground", shadow.isForegroundStopped)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.Q) {
            assertEquals("foreground service type", ServiceInfo.FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK, service.foregroundServiceType)
        }
        assertMediaNotificationOfSession(n)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O) {
            assertNotNull("the notification's channel exists", notificationManager.getNotificationChannel(n.channelId))
        }
        // The title is the app name exactly as typed: proves the strings.xml escaping survived aapt2.
        val typedName = javaClass.classLoader!!.getResource("audiobg-app-name.txt")!!.readText(Charsets.UTF_8)
        assertEquals("notification title", typedName, n.extras.getCharSequence(Notification.EXTRA_TITLE)?.toString())
        assertTrue("session active while playing", session().isActive)
    }

    fun manifestDeclaresTheMediaPlaybackServiceTypeAndItsPermissions() {
        // Parsed by the framework's own PackageParser from the aapt2-linked APK.
        val info = app.packageManager.getServiceInfo(ComponentName(app, PlaybackService::class.java), 0)
        // ServiceInfo.foregroundServiceType exists from Android 10; older parsers ignore the attribute.
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.Q) {
            assertEquals(
                "android:foregroundServiceType includes mediaPlayback",
                ServiceInfo.FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK,
                info.foregroundServiceType and ServiceInfo.FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK,
            )
        }
        val requested = app.packageManager.getPackageInfo(app.packageName, PackageManager.GET_PERMISSIONS).requestedPermissions?.toList().orEmpty()
        assertTrue("FOREGROUND_SERVICE requested: $requested", Manifest.permission.FOREGROUND_SERVICE in requested)
        assertTrue("FOREGROUND_SERVICE_MEDIA_PLAYBACK requested: $requested", Manifest.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK in requested)
    }

    fun playWithoutFocusStaysSilentAndInTheBackground() {
        shadowOf(audioManager).setNextFocusRequestResponse(AudioManager.AUDIOFOCUS_REQUEST_FAILED)
        send(PlaybackService.ACTION_PLAY)
        assertFalse("no sound without focus", playing())
        assertNull("no foreground without playback", shadowOf(service).lastForegroundNotification)
    }

    fun permanentFocusLossPausesAndDoesNotResumeByItself() {
        send(PlaybackService.ACTION_PLAY)
        focusChange(AudioManager.AUDIOFOCUS_LOSS)
        assertFalse("paused on focus loss", playing())
        focusChange(AudioManager.AUDIOFOCUS_GAIN)
        assertFalse("a permanent loss must not resume on its own", playing())
    }

    fun transientFocusLossPausesAndRegainingFocusResumes() {
        send(PlaybackService.ACTION_PLAY)
        focusChange(AudioManager.AUDIOFOCUS_LOSS_TRANSIENT)
        assertFalse("paused on transient loss", playing())
        focusChange(AudioManager.AUDIOFOCUS_GAIN)
        assertTrue("resumed when focus returns", playing())
    }

    fun canDuckLowersTheVolumeAndRegainingFocusRestoresIt() {
        send(PlaybackService.ACTION_PLAY)
        focusChange(AudioManager.AUDIOFOCUS_LOSS_TRANSIENT_CAN_DUCK)
        val ducked = shadowOf(player())
        assertTrue("keeps playing while ducked", playing())
        assertTrue("volume lowered (left ${ducked.leftVolume})", ducked.leftVolume < 1f && ducked.rightVolume < 1f)
        focusChange(AudioManager.AUDIOFOCUS_GAIN)
        assertEquals("left volume restored", 1f, shadowOf(player()).leftVolume, 0f)
        assertEquals("right volume restored", 1f, shadowOf(player()).rightVolume, 0f)
        assertTrue("still playing", playing())
    }

    fun becomingNoisyPauses() {
        send(PlaybackService.ACTION_PLAY)
        app.sendBroadcast(Intent(AudioManager.ACTION_AUDIO_BECOMING_NOISY))
        idle()
        assertFalse("paused when headphones are unplugged", playing())
    }

    fun pauseLeavesTheForegroundButKeepsTheNotification() {
        send(PlaybackService.ACTION_PLAY)
        val id = shadowOf(service).lastForegroundNotificationId
        send(PlaybackService.ACTION_PAUSE)
        val shadow = shadowOf(service)
        assertFalse("paused", playing())
        assertTrue("left the foreground", shadow.isForegroundStopped)
        assertFalse("stopForeground kept the notification", shadow.notificationShouldRemoved)
        val posted = shadowOf(notificationManager).getNotification(id) ?: throw AssertionError("the notification is gone after pause")
        assertMediaNotificationOfSession(posted)
        assertFalse("the service keeps running while paused", shadow.isStoppedBySelf)
    }

    fun stopRemovesTheNotificationAndStopsTheService() {
        send(PlaybackService.ACTION_PLAY)
        val id = shadowOf(service).lastForegroundNotificationId
        send(PlaybackService.ACTION_STOP)
        val shadow = shadowOf(service)
        assertFalse("not playing", playing())
        assertTrue("left the foreground", shadow.isForegroundStopped)
        assertNull("notification removed", shadowOf(notificationManager).getNotification(id))
        assertTrue("the service stopped itself", shadow.isStoppedBySelf)
    }

    fun onDestroyReleasesThePlayerAndTheSession() {
        send(PlaybackService.ACTION_PLAY)
        val player = player()
        val session = session()
        val sessionDestroyed = recordSessionDestroy(session)
        controller.destroy()
        idle()
        assertEquals("player released", ShadowMediaPlayer.State.END, shadowOf(player).state)
        // Every release() destroys the session's binder in the system (older releases do nothing else).
        assertTrue("session released", sessionDestroyed())
        assertTrue("no notification left behind", shadowOf(notificationManager).allNotifications.isEmpty())
    }

    fun mediaSessionCommandsDriveThePlayer() {
        val session = session()
        sessionCommand(session, "onPlay")
        assertTrue("session play starts playback", playing())
        assertMediaNotificationOfSession(lastForegroundNotification())
        sessionCommand(session, "onPause")
        assertFalse("session pause pauses", playing())
        sessionCommand(session, "onPlay")
        assertTrue("session play resumes", playing())
        sessionCommand(session, "onStop")
        assertFalse("session stop stops", playing())
        assertTrue("session stop ends the service", shadowOf(service).isStoppedBySelf)
    }
}
