// Side-by-side reference for the HE JMH benchmarks: the same operations, on the same parameters and inputs, with
// Microsoft SEAL 4.4.3. Built and run by bench/seal-vs-java.sh; see that script for the build.
//
// Each function below mirrors one @Benchmark method of bench/src/main/java/dev/splitlearn/bench/he/ and is named
// after it (<Class>.<method>), with the class's @Setup mirrored by the matching *Env constructor:
//
//   CkksBenchmark        N = 8192 : Q = [60, 40, 40], P = [60], scale 2^40   (SEAL coeff_modulus {60, 40, 40, 60})
//                        N = 16384: Q = [60, 40 x 7], P = [60], scale 2^40   (SEAL coeff_modulus {60, 40 x 7, 60})
//                        inputs at the top level, outputs into preallocated objects
//   NttBenchmark         one row modulo q_0 (a 60-bit prime), in place, same N and primes as above
//   LinearLayerBenchmark N = 4096 : Q = [45, 30], no P, scale 2^30            (SEAL {45, 30, 30}, see below)
//                        N = 8192 : Q = [45, 30], P = [55], scale 2^30       (SEAL {45, 30, 55})
//                        B = 64, d = 256, m = 5, the batched linear layer of he/linalg
//
// SEAL always reserves the last prime of coeff_modulus as the key-switching ("special") prime, so a set without
// P (Q = [45, 30]) gets an unused 30-bit special prime: the data level is then exactly Q = [45, 30]; the extra
// prime only enlarges the secret key (generated in setup) and is never touched by the measured operations.
//
// Primes: the project's Primes.generateNttPrimes gives the k-th modulus of a given bit size the k-th largest
// NTT-friendly prime below 2^bits (Q first, then P). SEAL's CoeffModulus::Create draws the same primes but hands
// them out smallest first (e.g. its q_0 for {60, 40, 40, 60} is the project's p_0 and vice versa), so the moduli
// are built here by the project's rule from SEAL's util::get_primes: same primes in the same roles (printed as
// "# params"; bench/seal-vs-java.sh compares them with the project's).
//
// Measurement (as JMH -bm avgt -wi W -w T -i I -r T, single thread): per operation, W warm-up and I measurement
// iterations of T seconds of wall time each; an iteration calls the operation back to back and records thread CPU
// time (clock_gettime(CLOCK_THREAD_CPUTIME_ID)) and wall time (CLOCK_MONOTONIC) per call. Output, one line per
// operation (times in microseconds per call, over the measurement iterations):
//
//   <Class>.<method> <N> <cpu_median_us> <cpu_min_us> <cpu_max_us> <wall_median_us> <calls>
//
// Comment lines start with '#'. Usage: seal-bench [--filter REGEX] [--n N] [--warmups W] [--iterations I]
// [--seconds T] [--list] [--raw]
//
// The file is self-contained; it needs only SEAL's headers and static library.

#include "seal/seal.h"
#include "seal/util/ntt.h"
#include "seal/util/numth.h"
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef SEAL_BENCH_CXXFLAGS
#define SEAL_BENCH_CXXFLAGS "unknown"
#endif

using namespace seal;
using std::complex;
using std::size_t;
using std::string;
using std::vector;

namespace
{
    // ------------------------------------------------------------------ clocks and the measurement loop

    double cpu_ns()
    {
        timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return 1e9 * static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec);
    }

    double wall_ns()
    {
        timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return 1e9 * static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec);
    }

    // Consumes results so that no call can be elided (the JMH methods return theirs to a Blackhole).
    volatile std::uint64_t sink;

    struct Options
    {
        string filter = ".*";
        int n = 0;
        int warmups = 3;
        int iterations = 5;
        double seconds = 1.0;
        bool list = false;
        bool raw = false;
    };

    double median(vector<double> v)
    {
        std::sort(v.begin(), v.end());
        size_t k = v.size();
        return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
    }

    // One operation, measured like a JMH avgt benchmark in one fork on one thread.
    void measure(const string &name, int n, const std::function<void()> &op, const Options &o)
    {
        vector<double> cpu, wall;
        std::uint64_t calls = 0;
        for (int it = 0; it < o.warmups + o.iterations; it++)
        {
            double w0 = wall_ns();
            double c0 = cpu_ns();
            double deadline = w0 + o.seconds * 1e9;
            std::uint64_t k = 0;
            double w1;
            do
            {
                op();
                k++;
                w1 = wall_ns();
            } while (w1 < deadline);
            double c1 = cpu_ns();
            double cpu_us = (c1 - c0) / 1e3 / static_cast<double>(k);
            double wall_us = (w1 - w0) / 1e3 / static_cast<double>(k);
            bool warm = it < o.warmups;
            if (o.raw)
            {
                std::printf(
                    "# %s %d %s %d: %llu calls, cpu %.3f us/op, wall %.3f us/op\n", name.c_str(), n,
                    warm ? "warmup" : "iteration", warm ? it + 1 : it - o.warmups + 1,
                    static_cast<unsigned long long>(k), cpu_us, wall_us);
            }
            if (!warm)
            {
                cpu.push_back(cpu_us);
                wall.push_back(wall_us);
                calls += k;
            }
        }
        std::printf(
            "%s %d %.3f %.3f %.3f %.3f %llu\n", name.c_str(), n, median(cpu), *std::min_element(cpu.begin(), cpu.end()),
            *std::max_element(cpu.begin(), cpu.end()), median(wall), static_cast<unsigned long long>(calls));
        std::fflush(stdout);
    }

    // ------------------------------------------------------------------ helpers

    string primes_of(const SEALContext &context)
    {
        string s;
        for (const auto &m : context.key_context_data()->parms().coeff_modulus())
        {
            s += (s.empty() ? "" : ", ") + std::to_string(m.value()) + " (" + std::to_string(m.bit_count()) + ")";
        }
        return s;
    }

    void print_params(const char *cls, int n, const SEALContext &context, double scale)
    {
        std::printf(
            "# params %s N=%d coeff_modulus=[%s] (last = special prime) scale=2^%g security=%s\n", cls, n,
            primes_of(context).c_str(), std::log2(scale), context.parameters_set() ? "ok" : "INVALID");
        if (!context.parameters_set())
        {
            throw std::runtime_error(string("invalid SEAL parameters: ") + context.parameter_error_message());
        }
    }

    void touch(const Ciphertext &ct)
    {
        sink = sink + ct.data()[0];
    }

    void touch(const Plaintext &pt)
    {
        sink = sink + pt.data()[0];
    }

    // A cryptographic stream for the masks (the Java side draws them from an AES-CTR stream seeded by
    // SecureRandom): SEAL's default PRNG (Blake2xb) seeded from std::random_device, buffered like Prng.
    class MaskPrng
    {
    public:
        MaskPrng() : prng_(UniformRandomGeneratorFactory::DefaultFactory()->create()), buf_(1024), pos_(1024)
        {}

        double next_double()
        {
            if (pos_ == buf_.size())
            {
                prng_->generate(buf_.size() * sizeof(std::uint64_t), reinterpret_cast<seal_byte *>(buf_.data()));
                pos_ = 0;
            }
            return static_cast<double>(buf_[pos_++] >> 11) * 0x1.0p-53;
        }

    private:
        std::shared_ptr<UniformRandomGenerator> prng_;
        vector<std::uint64_t> buf_;
        size_t pos_;
    };

    // The project's prime assignment (see the top of the file).
    vector<Modulus> project_moduli(int n, const vector<int> &bit_sizes)
    {
        std::map<int, vector<Modulus>> primes;
        std::map<int, size_t> used;
        for (int b : bit_sizes)
        {
            used[b]++;
        }
        for (const auto &e : used)
        {
            primes[e.first] = util::get_primes(2 * static_cast<std::uint64_t>(n), e.first, e.second); // largest first
        }
        vector<Modulus> result;
        used.clear();
        for (int b : bit_sizes)
        {
            result.push_back(primes[b][used[b]++]);
        }
        return result;
    }

    // ------------------------------------------------------------------ CkksBenchmark and NttBenchmark parameters

    EncryptionParameters primitive_parameters(int n)
    {
        EncryptionParameters parms(scheme_type::ckks);
        parms.set_poly_modulus_degree(static_cast<size_t>(n));
        if (n == 8192)
        {
            // ParameterSets.N8192_QP_60_40_40_60: Q = [60, 40, 40], P = [60]
            parms.set_coeff_modulus(project_moduli(8192, { 60, 40, 40, 60 }));
        }
        else if (n == 16384)
        {
            // ParameterSets.N16384_QP_60_40X7_60: Q = [60, 40 x 7], P = [60]
            parms.set_coeff_modulus(project_moduli(16384, { 60, 40, 40, 40, 40, 40, 40, 40, 60 }));
        }
        else
        {
            throw std::invalid_argument("no benchmark parameter set for N=" + std::to_string(n));
        }
        return parms;
    }

    // CkksBenchmark.setup()
    struct CkksEnv
    {
        int n;
        double scale = std::pow(2.0, 40);
        SEALContext context;
        KeyGenerator keygen;
        SecretKey sk;
        PublicKey pk;
        RelinKeys rk;
        GaloisKeys gk;
        CKKSEncoder encoder;
        Encryptor pk_encryptor;
        Encryptor sk_encryptor;
        Decryptor decryptor;
        Evaluator evaluator;
        vector<double> values;
        vector<double> decoded;
        Plaintext pt, pt_out;
        Ciphertext ct, ct2, product, tmp, out;

        explicit CkksEnv(int n_)
            : n(n_), context(primitive_parameters(n_), true, sec_level_type::tc128), keygen(context),
              sk(keygen.secret_key()), pk(make_pk()), rk(make_rk()), gk(make_gk()), encoder(context),
              pk_encryptor(context, pk), sk_encryptor(context, sk), decryptor(context, sk), evaluator(context)
        {
            print_params("CkksBenchmark", n, context, scale);
            std::mt19937_64 rnd(42);
            std::uniform_real_distribution<double> u(0.0, 1.0);
            values.resize(encoder.slot_count());
            for (auto &v : values)
            {
                v = 2 * u(rnd) - 1;
            }
            decoded.resize(encoder.slot_count());
            // level = params.maxLevel(): SEAL's first data level holds all of Q
            encoder.encode(values, context.first_parms_id(), scale, pt);
            pt_out = pt;
            pk_encryptor.encrypt(pt, ct);
            pk_encryptor.encrypt(pt, ct2);
            evaluator.multiply(ct, ct2, product);
            evaluator.relinearize_inplace(product, rk);
            tmp = ct;
            out = ct;
            check();
        }

        PublicKey make_pk()
        {
            PublicKey k;
            keygen.create_public_key(k);
            return k;
        }

        RelinKeys make_rk()
        {
            RelinKeys k;
            keygen.create_relin_keys(k);
            return k;
        }

        GaloisKeys make_gk()
        {
            // genEvaluationKeys(sk, true, 1): the Galois key of a rotation by one slot only
            GaloisKeys k;
            keygen.create_galois_keys(vector<int>{ 1 }, k);
            return k;
        }

        // Sanity check of the mirrored operations (not timed): decrypted results against the cleartext.
        void check()
        {
            Plaintext p;
            vector<double> v;
            double e_rot = 0, e_mul = 0;
            Ciphertext r;
            evaluator.rotate_vector(ct, 1, gk, r);
            decryptor.decrypt(r, p);
            encoder.decode(p, v);
            for (size_t i = 0; i < values.size(); i++)
            {
                e_rot = std::max(e_rot, std::abs(v[i] - values[(i + 1) % values.size()]));
            }
            evaluator.multiply(ct, ct2, r);
            evaluator.relinearize_inplace(r, rk);
            evaluator.rescale_to_next_inplace(r);
            decryptor.decrypt(r, p);
            encoder.decode(p, v);
            for (size_t i = 0; i < values.size(); i++)
            {
                e_mul = std::max(e_mul, std::abs(v[i] - values[i] * values[i]));
            }
            std::printf("# check CkksBenchmark N=%d: max error rotate %.2e, multiply+relinearise+rescale %.2e\n", n, e_rot, e_mul);
            if (!(e_rot < 1e-3 && e_mul < 1e-3))
            {
                throw std::runtime_error("SEAL sanity check failed");
            }
        }
    };

    // NttBenchmark.setup()
    struct NttEnv
    {
        SEALContext context;
        const util::NTTTables *tables;
        vector<std::uint64_t> row;

        explicit NttEnv(int n) : context(primitive_parameters(n), true, sec_level_type::tc128)
        {
            print_params("NttBenchmark", n, context, 1.0);
            tables = &context.first_context_data()->small_ntt_tables()[0];
            std::uint64_t q = tables->modulus().value();
            std::printf("# NttBenchmark N=%d: q_0 = %llu (%d bits)\n", n, static_cast<unsigned long long>(q), tables->modulus().bit_count());
            std::random_device rd;
            std::mt19937_64 rnd((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
            std::uniform_int_distribution<std::uint64_t> u(0, q - 1);
            row.resize(static_cast<size_t>(n));
            for (auto &x : row)
            {
                x = u(rnd);
            }
        }
    };

    // ------------------------------------------------------------------ LinearLayerBenchmark

    constexpr int B = 64;
    constexpr int D = 256;
    constexpr int M = 5;

    EncryptionParameters split_parameters(int n)
    {
        EncryptionParameters parms(scheme_type::ckks);
        parms.set_poly_modulus_degree(static_cast<size_t>(n));
        if (n == 4096)
        {
            // ParameterSets.SPLIT_N4096_Q45_30: Q = [45, 30], no P. SEAL needs a last (special) prime to keep both
            // Q primes at the data level; it is never used (no key switching in this benchmark).
            parms.set_coeff_modulus(project_moduli(4096, { 45, 30, 30 }));
        }
        else if (n == 8192)
        {
            // ParameterSets.SPLIT_N8192_Q45_30_P55: Q = [45, 30], P = [55]
            parms.set_coeff_modulus(project_moduli(8192, { 45, 30, 55 }));
        }
        else
        {
            throw std::invalid_argument("no split parameter set for N=" + std::to_string(n));
        }
        return parms;
    }

    // BatchLayout
    struct Layout
    {
        int slots, batch, padded, groups, features;

        Layout(int slots_, int batch_, int features_) : slots(slots_), batch(batch_), features(features_)
        {
            padded = 1;
            while (padded < batch)
            {
                padded <<= 1;
            }
            groups = slots / padded;
        }

        int ciphertexts() const
        {
            return (features + groups - 1) / groups;
        }

        int slot_of(int sample, int feature) const
        {
            return sample * groups + feature % groups;
        }
    };

    // BatchClient + BatchedLinearLayer + LinearLayerBenchmark.setUp()
    struct LinearEnv
    {
        int n;
        double scale = std::pow(2.0, 30);
        SEALContext context;
        KeyGenerator keygen;
        SecretKey sk;
        CKKSEncoder encoder;
        Encryptor encryptor;
        Decryptor decryptor;
        Evaluator evaluator;
        MaskPrng prng;
        double mask_magnitude;
        vector<double> activations;
        vector<vector<double>> weights;
        vector<double> bias;
        vector<Ciphertext> batch;
        vector<Ciphertext> logits;
        int g;
        vector<complex<double>> full;
        Plaintext pt;
        double weight_scale;

        explicit LinearEnv(int n_)
            : n(n_), context(split_parameters(n_), true, sec_level_type::tc128), keygen(context),
              sk(keygen.secret_key()), encoder(context), encryptor(context, sk), decryptor(context, sk),
              evaluator(context)
        {
            print_params("LinearLayerBenchmark", n, context, scale);
            // BatchedLinearLayer: M = capacity / 8, capacity = Q_{L-1} / (2 scale)
            double log2 = 0;
            const auto &q = context.first_context_data()->parms().coeff_modulus();
            for (size_t i = 0; i + 1 < q.size(); i++)
            {
                log2 += std::log2(static_cast<double>(q[i].value()));
            }
            mask_magnitude = std::pow(2.0, log2 - 1) / scale / 8;
            weight_scale = static_cast<double>(q.back().value());
            std::mt19937_64 rnd(1);
            std::uniform_real_distribution<double> u(0.0, 1.0);
            activations.resize(B * D);
            for (auto &a : activations)
            {
                a = u(rnd);
            }
            weights.assign(M, vector<double>(D));
            for (auto &row : weights)
            {
                for (auto &w : row)
                {
                    w = u(rnd) - 0.5;
                }
            }
            bias.assign(M, 0.0);
            batch = encrypt_batch();
            logits = evaluate_layer();
            g = Layout(static_cast<int>(encoder.slot_count()), B, D).groups;
            full.resize(encoder.slot_count());
            for (size_t s = 0; s < full.size(); s++)
            {
                full[s] = { weights[0][s % g], weights[1][s % g] };
            }
            // pt = new Plaintext(params, maxLevel, q_maxLevel)
            encoder.encode(full, context.first_parms_id(), weight_scale, pt);
            check();
        }

        // BatchClient.encryptBatch(double[], B, d)
        vector<Ciphertext> encrypt_batch()
        {
            Layout layout(static_cast<int>(encoder.slot_count()), B, D);
            vector<Ciphertext> out;
            out.reserve(static_cast<size_t>(layout.ciphertexts()));
            vector<double> slots(encoder.slot_count());
            for (int c = 0; c < layout.ciphertexts(); c++)
            {
                std::fill(slots.begin(), slots.end(), 0.0);
                int first = c * layout.groups;
                int last = std::min(D, first + layout.groups);
                for (int j = first; j < last; j++)
                {
                    for (int i = 0; i < B; i++)
                    {
                        double v = activations[static_cast<size_t>(i * D + j)];
                        if (!std::isfinite(v))
                        {
                            throw std::invalid_argument("activation is not finite");
                        }
                        slots[static_cast<size_t>(layout.slot_of(i, j))] = v;
                    }
                }
                Plaintext p;
                encoder.encode(slots, context.first_parms_id(), scale, p);
                out.emplace_back();
                encryptor.encrypt_symmetric(p, out.back());
            }
            return out;
        }

        void add_mask(vector<complex<double>> &v, bool imag, const Layout &layout)
        {
            vector<double> u0(B), prev(B);
            for (int i = 0; i < B; i++)
            {
                u0[i] = (2 * prng.next_double() - 1) * mask_magnitude;
                prev[i] = u0[i];
            }
            for (int jj = 0; jj < layout.groups; jj++)
            {
                for (int i = 0; i < B; i++)
                {
                    double next = jj == layout.groups - 1 ? u0[i] : (2 * prng.next_double() - 1) * mask_magnitude;
                    auto &s = v[static_cast<size_t>(layout.slot_of(i, jj))];
                    if (imag)
                    {
                        s.imag(s.imag() + prev[i] - next);
                    }
                    else
                    {
                        s.real(s.real() + prev[i] - next);
                    }
                    prev[i] = next;
                }
            }
        }

        // BatchedLinearLayer.evaluate(batch, weights, bias, B, true). SEAL has no encoder for periodic vectors
        // (PeriodicEncoder): the weight plaintexts are encoded by the general CKKSEncoder from the same slot
        // vectors (period g spread over all slots), which gives the same plaintexts.
        vector<Ciphertext> evaluate_layer()
        {
            Layout layout(static_cast<int>(encoder.slot_count()), B, D);
            if (static_cast<int>(batch.size()) != layout.ciphertexts())
            {
                throw std::invalid_argument("wrong number of ciphertexts");
            }
            for (const auto &w : weights)
            {
                for (double x : w)
                {
                    if (!std::isfinite(x))
                    {
                        throw std::invalid_argument("weight is not finite");
                    }
                }
            }
            int n_slots = static_cast<int>(encoder.slot_count());
            int gg = layout.groups;
            auto level_parms = batch[0].parms_id();
            double ws = static_cast<double>(context.get_context_data(level_parms)->parms().coeff_modulus().back().value());
            vector<double> wre(static_cast<size_t>(gg)), wim(static_cast<size_t>(gg));
            vector<complex<double>> wv(static_cast<size_t>(n_slots));
            vector<double> wr(static_cast<size_t>(n_slots));
            vector<complex<double>> bv(static_cast<size_t>(n_slots));
            Plaintext p, bias_pt;
            Ciphertext tmp;
            vector<Ciphertext> out;
            for (int k = 0; k < M; k += 2)
            {
                bool pair = k + 1 < M;
                out.emplace_back();
                Ciphertext &acc = out.back();
                for (int c = 0; c < layout.ciphertexts(); c++)
                {
                    for (int jj = 0; jj < gg; jj++)
                    {
                        int j = c * gg + jj;
                        wre[jj] = j < D ? weights[k][j] : 0;
                        wim[jj] = j < D && pair ? weights[k + 1][j] : 0;
                    }
                    if (pair)
                    {
                        for (int s = 0; s < n_slots; s++)
                        {
                            wv[s] = { wre[s % gg], wim[s % gg] };
                        }
                        encoder.encode(wv, level_parms, ws, p);
                    }
                    else
                    {
                        for (int s = 0; s < n_slots; s++)
                        {
                            wr[s] = wre[s % gg];
                        }
                        encoder.encode(wr, level_parms, ws, p);
                    }
                    if (c == 0)
                    {
                        evaluator.multiply_plain(batch[c], p, acc);
                    }
                    else
                    {
                        evaluator.multiply_plain(batch[c], p, tmp);
                        evaluator.add_inplace(acc, tmp);
                    }
                }
                evaluator.rescale_to_next_inplace(acc);
                std::fill(bv.begin(), bv.end(), complex<double>(0, 0));
                for (int i = 0; i < B; i++)
                {
                    bv[static_cast<size_t>(layout.slot_of(i, 0))] = { bias[k], pair ? bias[k + 1] : 0 };
                }
                if (gg > 1)
                {
                    add_mask(bv, false, layout);
                    if (pair)
                    {
                        add_mask(bv, true, layout);
                    }
                }
                if (pair)
                {
                    encoder.encode(bv, acc.parms_id(), acc.scale(), bias_pt);
                }
                else
                {
                    for (int s = 0; s < n_slots; s++)
                    {
                        wr[s] = bv[s].real();
                    }
                    encoder.encode(wr, acc.parms_id(), acc.scale(), bias_pt);
                }
                evaluator.add_plain_inplace(acc, bias_pt);
            }
            return out;
        }

        // BatchClient.decryptLogits(logits, B, m)
        vector<vector<double>> decrypt_logits()
        {
            Layout layout(static_cast<int>(encoder.slot_count()), B, 1);
            vector<vector<double>> z(B, vector<double>(M));
            vector<complex<double>> v;
            double log2 = 0;
            const auto &q = context.first_context_data()->parms().coeff_modulus();
            for (size_t i = 0; i + 1 < q.size(); i++)
            {
                log2 += std::log2(static_cast<double>(q[i].value()));
            }
            double limit = std::pow(2.0, log2 - 1) / scale / 2;
            for (size_t p = 0; p < logits.size(); p++)
            {
                Plaintext pt_p;
                decryptor.decrypt(logits[p], pt_p);
                encoder.decode(pt_p, v);
                for (const auto &x : v)
                {
                    double m = std::max(std::abs(x.real()), std::abs(x.imag()));
                    if (!(m <= limit))
                    {
                        throw std::runtime_error("cannot decryptLogits: overflow");
                    }
                }
                for (int k = static_cast<int>(2 * p); k < std::min(M, static_cast<int>(2 * p + 2)); k++)
                {
                    bool re = k == static_cast<int>(2 * p);
                    for (int i = 0; i < B; i++)
                    {
                        double s = 0;
                        for (int gg = 0; gg < layout.groups; gg++)
                        {
                            const auto &x = v[static_cast<size_t>(layout.slot_of(i, gg))];
                            s += re ? x.real() : x.imag();
                        }
                        z[i][k] = s;
                    }
                }
            }
            return z;
        }

        void check()
        {
            auto z = decrypt_logits();
            double e = 0;
            for (int i = 0; i < B; i++)
            {
                for (int k = 0; k < M; k++)
                {
                    double want = bias[k];
                    for (int j = 0; j < D; j++)
                    {
                        want += weights[k][j] * activations[static_cast<size_t>(i * D + j)];
                    }
                    e = std::max(e, std::abs(z[i][k] - want));
                }
            }
            std::printf("# check LinearLayerBenchmark N=%d: max logit error %.2e (g=%d, %zu input ciphertexts)\n", n, e, g, batch.size());
            if (!(e < 1e-1))
            {
                throw std::runtime_error("SEAL sanity check of the linear layer failed");
            }
        }
    };

    // ------------------------------------------------------------------ the benchmark list

    template <class Env>
    struct Lazy
    {
        std::unique_ptr<Env> env;
        int n;

        Env &get()
        {
            if (!env)
            {
                env.reset(new Env(n));
            }
            return *env;
        }
    };
} // namespace

int main(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; i++)
    {
        string a = argv[i];
        auto next = [&]() -> string {
            if (i + 1 >= argc)
            {
                throw std::invalid_argument("missing value after " + a);
            }
            return argv[++i];
        };
        if (a == "--filter")
            o.filter = next();
        else if (a == "--n")
            o.n = std::stoi(next());
        else if (a == "--warmups")
            o.warmups = std::stoi(next());
        else if (a == "--iterations")
            o.iterations = std::stoi(next());
        else if (a == "--seconds")
            o.seconds = std::stod(next());
        else if (a == "--list")
            o.list = true;
        else if (a == "--raw")
            o.raw = true;
        else
        {
            std::fprintf(stderr, "usage: %s [--filter REGEX] [--n N] [--warmups W] [--iterations I] [--seconds T] [--list] [--raw]\n", argv[0]);
            return 2;
        }
    }
    if (o.iterations < 1 || o.warmups < 0 || !(o.seconds > 0))
    {
        std::fprintf(stderr, "need --iterations >= 1, --warmups >= 0, --seconds > 0\n");
        return 2;
    }

    Lazy<CkksEnv> ck8{ nullptr, 8192 }, ck16{ nullptr, 16384 };
    Lazy<NttEnv> nt8{ nullptr, 8192 }, nt16{ nullptr, 16384 };
    Lazy<LinearEnv> ll4{ nullptr, 4096 }, ll8{ nullptr, 8192 };

    struct Entry
    {
        string name;
        int n;
        std::function<std::function<void()>()> make;
    };
    vector<Entry> entries;
    // Same order as JMH runs them (alphabetical by class and method, then N).
    auto ckks = [&](const string &m, std::function<std::function<void()>(CkksEnv &)> f) {
        for (auto *lz : { &ck8, &ck16 })
        {
            entries.push_back({ "CkksBenchmark." + m, lz->n, [lz, f]() { return f(lz->get()); } });
        }
    };
    ckks("decode", [](CkksEnv &e) -> std::function<void()> {
        return [&e]() {
            e.encoder.decode(e.pt, e.decoded);
            sink = sink + static_cast<std::uint64_t>(e.decoded[0] * 1e6);
        };
    });
    ckks("decrypt", [](CkksEnv &e) -> std::function<void()> {
        return [&e]() {
            e.decryptor.decrypt(e.ct, e.pt_out);
            touch(e.pt_out);
        };
    });
    ckks("encode", [](CkksEnv &e) -> std::function<void()> {
        return [&e]() {
            e.encoder.encode(e.values, e.context.first_parms_id(), e.scale, e.pt_out);
            touch(e.pt_out);
        };
    });
    ckks("encryptPublic", [](CkksEnv &e) -> std::function<void()> {
        return [&e]() {
            e.pk_encryptor.encrypt(e.pt, e.out);
            touch(e.out);
        };
    });
    ckks("encryptSecret", [](CkksEnv &e) -> std::function<void()> {
        // Same computation as the seeded form (for CKKS SEAL samples c_1 in NTT form from a fresh seed either
        // way; the Serializable<Ciphertext> overload would only also keep the seed, in a new ciphertext).
        return [&e]() {
            e.sk_encryptor.encrypt_symmetric(e.pt, e.out);
            touch(e.out);
        };
    });
    ckks("multiplyPlain", [](CkksEnv &e) -> std::function<void()> {
        return [&e]() {
            e.evaluator.multiply_plain(e.ct, e.pt, e.out);
            touch(e.out);
        };
    });
    ckks("multiplyRelinRescale", [](CkksEnv &e) -> std::function<void()> {
        return [&e]() {
            e.evaluator.multiply(e.ct, e.ct2, e.tmp);
            e.evaluator.relinearize_inplace(e.tmp, e.rk);
            e.evaluator.rescale_to_next(e.tmp, e.out);
            touch(e.out);
        };
    });
    ckks("rescale", [](CkksEnv &e) -> std::function<void()> {
        return [&e]() {
            e.evaluator.rescale_to_next(e.product, e.out);
            touch(e.out);
        };
    });
    ckks("rotate", [](CkksEnv &e) -> std::function<void()> {
        return [&e]() {
            e.evaluator.rotate_vector(e.ct, 1, e.gk, e.out);
            touch(e.out);
        };
    });

    auto linear = [&](const string &m, std::function<std::function<void()>(LinearEnv &)> f) {
        for (auto *lz : { &ll4, &ll8 })
        {
            entries.push_back({ "LinearLayerBenchmark." + m, lz->n, [lz, f]() { return f(lz->get()); } });
        }
    };
    linear("decryptLogits", [](LinearEnv &e) -> std::function<void()> {
        return [&e]() {
            auto z = e.decrypt_logits();
            sink = sink + static_cast<std::uint64_t>(z[0][0] * 1e6);
        };
    });
    linear("encodeWeightsGeneral", [](LinearEnv &e) -> std::function<void()> {
        return [&e]() {
            e.encoder.encode(e.full, e.context.first_parms_id(), e.weight_scale, e.pt);
            touch(e.pt);
        };
    });
    linear("encodeWeightsPeriodic", [](LinearEnv &e) -> std::function<void()> {
        // SEAL has no periodic encoder: the same plaintext by the general encoder (as encodeWeightsGeneral).
        return [&e]() {
            e.encoder.encode(e.full, e.context.first_parms_id(), e.weight_scale, e.pt);
            touch(e.pt);
        };
    });
    linear("encryptBatch", [](LinearEnv &e) -> std::function<void()> {
        return [&e]() {
            auto v = e.encrypt_batch();
            touch(v[0]);
        };
    });
    linear("evaluateLayer", [](LinearEnv &e) -> std::function<void()> {
        return [&e]() {
            auto v = e.evaluate_layer();
            touch(v[0]);
        };
    });

    auto ntt = [&](const string &m, std::function<std::function<void()>(NttEnv &)> f) {
        for (auto *lz : { &nt8, &nt16 })
        {
            entries.push_back({ "NttBenchmark." + m, lz->n, [lz, f]() { return f(lz->get()); } });
        }
    };
    ntt("nttForward", [](NttEnv &e) -> std::function<void()> {
        return [&e]() {
            util::ntt_negacyclic_harvey(e.row.data(), *e.tables);
            sink = sink + e.row[0];
        };
    });
    ntt("nttInverse", [](NttEnv &e) -> std::function<void()> {
        return [&e]() {
            util::inverse_ntt_negacyclic_harvey(e.row.data(), *e.tables);
            sink = sink + e.row[0];
        };
    });

    std::regex re(o.filter);
    vector<Entry *> selected;
    for (auto &e : entries)
    {
        if (std::regex_search(e.name, re) && (o.n == 0 || o.n == e.n))
        {
            selected.push_back(&e);
        }
    }
    if (o.list)
    {
        for (auto *e : selected)
        {
            std::printf("%s %d\n", e->name.c_str(), e->n);
        }
        return 0;
    }
    if (selected.empty())
    {
        std::fprintf(stderr, "no benchmark matches --filter '%s' --n %d\n", o.filter.c_str(), o.n);
        return 1;
    }
    std::printf(
        "# seal-bench: SEAL %d.%d.%d, %s, bench.cpp flags: %s\n", SEAL_VERSION_MAJOR, SEAL_VERSION_MINOR,
        SEAL_VERSION_PATCH, __VERSION__, SEAL_BENCH_CXXFLAGS);
    std::printf(
        "# single thread; %d warm-up + %d measurement iterations of %g s (wall) per operation; per call: thread CPU "
        "time (CLOCK_THREAD_CPUTIME_ID) and wall time\n",
        o.warmups, o.iterations, o.seconds);
    std::printf("# op N cpu_median_us cpu_min_us cpu_max_us wall_median_us calls\n");
    std::fflush(stdout);
    try
    {
        for (auto *e : selected)
        {
            auto op = e->make();
            measure(e->name, e->n, op, o);
        }
    }
    catch (const std::exception &ex)
    {
        std::fprintf(stderr, "seal-bench: %s\n", ex.what());
        return 1;
    }
    return 0;
}
