package dev.splitlearn.core.kernels;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * libtorch's own oneDNN switch, {@code at::globalContext().setUserEnabledMkldnn(bool)}, reached
 * through JNA in the libtorch_cpu library the engine has loaded (DJL does not expose it). Also
 * reads the oneDNN version ({@code at::get_mkldnn_version()}), sets libtorch's log level and keeps
 * libtorch from trying NNPACK where NNPACK cannot start.
 */
public final class OneDnn implements OneDnnSwitch {
  private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
  private static final String SET_ENABLED = "_ZN2at7Context20setUserEnabledMkldnnEb";
  private static final String IS_ENABLED = "_ZNK2at7Context17userEnabledMkldnnEv";
  private static final String HAS_MKLDNN = "_ZN2at7Context9hasMKLDNNEv";
  private static final String VERSION = "_ZN2at18get_mkldnn_versionB5cxx11Ev";
  private static final String NNPACK_AVAILABLE = "_ZN2at6native17_nnpack_availableEv";
  private static final String SET_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";
  private static final String NNPACK_ENABLED = "_ZNK2at7Context17userEnabledNNPACKEv";
  private static OneDnn instance;

  private final NativeLibrary torch;
  private final NativeLibrary c10;
  private final String unavailable;
  private String version;
  private boolean nnpackStarts = true;

  private OneDnn(NativeLibrary torch, NativeLibrary c10, String unavailable) {
    this.torch = torch;
    this.c10 = c10;
    this.unavailable = unavailable;
  }

  /**
   * The switch of the libtorch this process runs. Starts the engine if it is not running, and
   * consumes libtorch's one-time "AutoNonVariableTypeMode is deprecated" warning (which DJL's
   * NDArray.set triggers; it concerns DJL's code, not the user's) with the log level raised.
   */
  public static synchronized OneDnn libtorch() {
    if (instance == null) {
      Engine.getInstance(); // loads libtorch
      instance = open();
      int level = instance.setLogLevel(2);
      try {
        EngineThread.run(
            () -> {
              try (NDManager m = NDManager.newBaseManager()) {
                m.zeros(new Shape(1)).set(new float[] {0f});
              }
            });
        instance.skipNnpackWhereUnsupported();
      } finally {
        if (level >= 0) {
          instance.setLogLevel(level);
        }
      }
    }
    return instance;
  }

  private static OneDnn open() {
    Optional<Path> torchPath = loadedLibrary("libtorch_cpu.so");
    if (torchPath.isEmpty()) {
      return new OneDnn(
          null,
          null,
          "libtorch_cpu.so is not loaded in this process (engine "
              + Engine.getInstance().getEngineName()
              + ")");
    }
    try {
      NativeLibrary torch = NativeLibrary.getInstance(torchPath.get().toString());
      for (String symbol : new String[] {GLOBAL_CONTEXT, SET_ENABLED, IS_ENABLED, HAS_MKLDNN}) {
        torch.getFunction(symbol);
      }
      NativeLibrary c10 =
          loadedLibrary("libc10.so").map(p -> NativeLibrary.getInstance(p.toString())).orElse(null);
      OneDnn d = new OneDnn(torch, c10, "");
      if (!d.built()) {
        return new OneDnn(null, null, "this libtorch was built without oneDNN");
      }
      return d;
    } catch (UnsatisfiedLinkError e) {
      return new OneDnn(null, null, torchPath.get() + ": " + e.getMessage());
    }
  }

  /** Finds a shared library mapped into this process by file name (Linux: /proc/self/maps). */
  static Optional<Path> loadedLibrary(String fileName) {
    try {
      return Files.readAllLines(Path.of("/proc/self/maps")).stream()
          .map(line -> line.substring(line.lastIndexOf(' ') + 1))
          .filter(p -> p.endsWith("/" + fileName))
          .map(Path::of)
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private boolean built() {
    return (torch.getFunction(HAS_MKLDNN).invokeInt(new Object[0]) & 0xFF) != 0;
  }

  private Pointer context() {
    return torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
  }

  /**
   * NNPACK does not start on CPUs its CPU tables do not know (AMD Zen 5, family 0x1a), and libtorch
   * 2.7.1 then logs "Could not initialize NNPACK! Reason: Unsupported hardware." at each
   * convolution that could have used it: 120 lines for one {@code doctor}. Telling libtorch not to
   * try NNPACK there (as {@code torch.backends.nnpack.set_flags(False)} does) changes no kernel,
   * since NNPACK could not run anyway. Call with the log level raised: the check itself warns.
   */
  private void skipNnpackWhereUnsupported() {
    if (torch == null) {
      return;
    }
    try {
      nnpackStarts = (torch.getFunction(NNPACK_AVAILABLE).invokeInt(new Object[0]) & 0xFF) != 0;
      if (!nnpackStarts) {
        torch.getFunction(SET_NNPACK).invokeVoid(new Object[] {context(), 0});
      }
    } catch (UnsatisfiedLinkError e) {
      // a libtorch without these symbols: it only warns
    }
  }

  /** Whether NNPACK could start on this CPU (true if that cannot be asked). */
  public synchronized boolean nnpackStarts() {
    return nnpackStarts;
  }

  /** Whether libtorch may use NNPACK ({@code at::Context::userEnabledNNPACK}); false if unknown. */
  public synchronized boolean nnpackEnabled() {
    if (torch == null) {
      return false;
    }
    try {
      return (torch.getFunction(NNPACK_ENABLED).invokeInt(new Object[] {context()}) & 0xFF) != 0;
    } catch (UnsatisfiedLinkError e) {
      return false;
    }
  }

  @Override
  public boolean available() {
    return torch != null;
  }

  @Override
  public String unavailableReason() {
    return unavailable;
  }

  @Override
  public synchronized boolean enabled() {
    if (torch == null) {
      return false;
    }
    return (torch.getFunction(IS_ENABLED).invokeInt(new Object[] {context()}) & 0xFF)
        != 0; // C++ bool: low byte
  }

  @Override
  public synchronized void setEnabled(boolean on) {
    if (torch == null) {
      throw new IllegalStateException(
          "cannot switch oneDNN " + (on ? "on" : "off") + ": " + unavailable);
    }
    torch.getFunction(SET_ENABLED).invokeVoid(new Object[] {context(), on ? 1 : 0});
    if (enabled() != on) {
      throw new IllegalStateException(
          "cannot switch oneDNN " + (on ? "on" : "off") + ": libtorch ignored the call");
    }
  }

  @Override
  public synchronized String version() {
    if (version == null) {
      version = readVersion();
    }
    return version;
  }

  /**
   * Calls {@code std::string at::get_mkldnn_version()}: the result is written to a caller buffer
   * (sret).
   */
  private String readVersion() {
    if (torch == null) {
      return "unknown";
    }
    try {
      Function f = torch.getFunction(VERSION);
      Memory string =
          new Memory(64); // a libstdc++ std::string is 32 bytes: pointer, length, 16-byte buffer
      f.invokePointer(new Object[] {string});
      long length = string.getLong(8);
      if (length <= 0 || length > 256) {
        return "unknown";
      }
      byte[] bytes =
          string
              .getPointer(0)
              .getByteArray(0, (int) length); // a long string's buffer is leaked, once
      String s = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      return s.replaceFirst("^Intel\\(R\\) MKL-DNN ", "").replaceAll("\\s+", " ").trim();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return "unknown";
    }
  }

  /**
   * Sets libtorch's minimum log level ({@code FLAGS_caffe2_log_level}: 0 info, 1 warning, 2 error)
   * and returns the previous one, or -1 if it cannot be reached.
   */
  public synchronized int setLogLevel(int level) {
    if (c10 == null) {
      return -1;
    }
    try {
      Pointer flag = c10.getGlobalVariableAddress("FLAGS_caffe2_log_level");
      int previous = flag.getInt(0);
      flag.setInt(0, level);
      return previous;
    } catch (UnsatisfiedLinkError e) {
      return -1;
    }
  }
}
