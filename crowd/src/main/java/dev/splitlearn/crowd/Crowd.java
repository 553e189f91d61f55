package dev.splitlearn.crowd;

import dev.splitlearn.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The simulated devices and the training samples each holds, and who takes part in which round.
 * Only indices are kept per device; a device's samples are copied out when it is selected.
 * Immutable.
 */
public final class Crowd {
  private final List<DeviceProfile> devices;
  private final int[][] shards;
  private final Dataset train;
  private final long seed;

  /**
   * A crowd of given devices and shards (tests build crowds by hand).
   *
   * @param shards per device, indices into {@code train}
   * @throws IllegalArgumentException if the counts differ or a shard is empty
   */
  public Crowd(List<DeviceProfile> devices, int[][] shards, Dataset train, long seed) {
    if (devices.size() != shards.length) {
      throw new IllegalArgumentException(
          devices.size() + " devices but " + shards.length + " shards");
    }
    for (int i = 0; i < shards.length; i++) {
      if (shards[i].length == 0) {
        throw new IllegalArgumentException("device " + i + " holds no samples");
      }
    }
    this.devices = List.copyOf(devices);
    this.shards = shards.clone();
    this.train = train;
    this.seed = seed;
  }

  /**
   * Draws {@code config.devices()} devices from the config's distributions and deals them their
   * shards.
   *
   * @throws IllegalArgumentException if the data set has fewer than devices x samples-per-device
   *     samples
   */
  public static Crowd of(CrowdConfig config, Dataset train) {
    long needed = (long) config.devices() * config.samplesPerDevice();
    if (needed > train.size()) {
      throw new IllegalArgumentException(
          "devices x samples-per-device = "
              + needed
              + " exceeds the "
              + train.size()
              + " training samples of "
              + train.name());
    }
    if (config.partition() == CrowdConfig.Partition.LABEL_SKEW
        && config.classesPerDevice() > train.numClasses()) {
      throw new IllegalArgumentException(
          "classes-per-device must be <= the "
              + train.numClasses()
              + " classes of "
              + train.name()
              + ", got "
              + config.classesPerDevice());
    }
    List<DeviceProfile> devices = new ArrayList<>(config.devices());
    CrowdConfig.DeviceDistributions d = config.device();
    for (int i = 0; i < config.devices(); i++) {
      Random r = new Random(mix(config.seed(), 0xDE71CEL, i));
      devices.add(
          new DeviceProfile(
              i,
              d.gflops().sample(r) * 1e9,
              d.uplinkMbps().sample(r) * 1e6,
              d.downlinkMbps().sample(r) * 1e6,
              d.latencyMs().sample(r) / 1e3,
              d.dropout().sample(r)));
    }
    int[][] shards =
        config.partition() == CrowdConfig.Partition.IID
            ? Shards.iid(train.size(), config.devices(), config.samplesPerDevice(), config.seed())
            : Shards.labelSkew(
                train.labels(),
                config.devices(),
                config.samplesPerDevice(),
                config.classesPerDevice(),
                config.seed());
    return new Crowd(devices, shards, train, config.seed());
  }

  /** Number of devices. */
  public int size() {
    return devices.size();
  }

  /** Device {@code i}. */
  public DeviceProfile device(int i) {
    return devices.get(i);
  }

  /** Indices into the training set of device {@code i}'s samples (a copy). */
  public int[] shard(int i) {
    return shards[i].clone();
  }

  /**
   * The participants of {@code round}: {@code k} devices drawn without replacement, each with its
   * dropout decided (the same for every schedule, since it depends only on seed, round and device).
   * A device's round is {@code units} pieces of work (its local steps, then its upload); a dropping
   * device leaves before a uniformly drawn one of them.
   *
   * @param units work units of a device's round given its sample count
   */
  public List<Participant> select(int round, int k, java.util.function.IntUnaryOperator units) {
    Random r = new Random(mix(seed, 0x5E1EC7L, round));
    int[] ids = new int[devices.size()];
    Arrays.setAll(ids, i -> i);
    List<Participant> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      int j = i + r.nextInt(ids.length - i);
      int t = ids[i];
      ids[i] = ids[j];
      ids[j] = t;
      DeviceProfile d = devices.get(ids[i]);
      Random fate = new Random(mix(seed, round, d.id()));
      boolean drops = fate.nextDouble() < d.dropout();
      int n = units.applyAsInt(shards[d.id()].length);
      int dropBefore = drops ? (int) Math.floor(fate.nextDouble() * n) : -1;
      out.add(new Participant(d, train.subset(shards[d.id()]), dropBefore));
    }
    return out;
  }

  /**
   * A seed for {@link Random} from three numbers, every bit of each mixed into every bit of the
   * result (SplitMix64's finaliser applied after each): {@code Random}'s first draws from nearby
   * seeds are correlated, so plain sums of round and device numbers would make devices of a round
   * drop out together.
   */
  static long mix(long a, long b, long c) {
    return finish(finish(finish(a) + b) + c);
  }

  private static long finish(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
