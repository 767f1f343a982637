// The host side of the CUDA flavour: the node-addon-api glue that converts the arguments to doubles
// for the device and writes them back, and the build (binding.gyp with nvcc as an action, the CUDA
// toolkit's location).
import type { Kernel } from '../../ir/types.js';
import { Lines } from '../common/tsEmit.js';
import { CPP_PRELUDE } from '../native/prelude.js';
import { cppDouble, cppName, C_TYPE, viewDType } from '../native/cppEmit.js';
import { NAPI_VERSION } from '../native/emit.js';
import { NAPI_TYPE } from '../native/glue.js';

/** The addon glue: argument checks, arrays converted to doubles for the device and written back. */
export function cudaAddonSource(k: Kernel, name: string): string {
  const cname = cppName(name);
  const arrays = k.params.filter((p) => p.kind === 'array');
  const out = new Lines();
  out.line(CPP_PRELUDE.trimEnd()).line();
  out.line(
    `extern "C" int hotloop_cuda_${cname}(double* const* host, const size_t* len, const double* scalars, double* result, char* err, size_t err_len);`,
  );
  out.line('extern "C" int hotloop_cuda_device_count(int* count, char* err, size_t err_len);').line();
  for (const c of k.consts) {
    out.line(
      `static const double tbl_${cppName(c.name)}[${Math.max(1, c.values.length)}] = {${c.values.map((v) => cppDouble(typeof v === 'number' ? v : Number(v))).join(', ') || '0'}};`,
    );
  }
  out.block('static Napi::Value DeviceCount(const Napi::CallbackInfo& info)', () => {
    out.line('int count = 0;').line('char err[256] = {0};');
    out.line('int code = hotloop_cuda_device_count(&count, err, sizeof err);');
    out.line('Napi::Object r = Napi::Object::New(info.Env());');
    out
      .line('r.Set("count", count);')
      .line('r.Set("code", code);')
      .line('r.Set("error", std::string(err));')
      .line('return r;');
  });
  out.line();
  const sig = `${name}(${k.params.map((p) => p.name).join(', ')})`;
  out.block('static Napi::Value Run(const Napi::CallbackInfo& info)', () => {
    out.line('Napi::Env env = info.Env();');
    out.line(`if (!hotloop::checkCount(info, ${k.params.length}, "${sig}")) return env.Undefined();`);
    k.params.forEach((p, i) => {
      const n = cppName(p.name);
      if (p.kind === 'scalar' && p.truthy) {
        // A boolean of the source, taken as its truthiness (a Number read would throw on true/false).
        out.line(`double ${n} = 0;`).line(`hotloop::readTruthy(info[${i}], ${n});`);
      } else if (p.kind === 'scalar') {
        out.line(`double ${n} = 0;`);
        out.line(
          `if (!hotloop::readScalar(info[${i}], "${name}", "${p.name}", ${n})) return env.Undefined();`,
        );
      } else if (p.container === 'array') {
        out.line(`std::vector<double> ${n}_copy; hotloop::View<double> ${n};`);
        out.line(
          `if (!hotloop::readNumbers(info[${i}], "${name}", "${p.name}", ${n}_copy, ${n})) return env.Undefined();`,
        );
        out.line(`std::vector<double> ${n}_d(${n}_copy);`);
      } else {
        const t = C_TYPE[viewDType(p)];
        const napi = NAPI_TYPE[p.dtype];
        out.line(`hotloop::View<${t}> ${n};`);
        out.line(
          `if (!hotloop::readTyped(info[${i}], ${napi}, "${p.dtype}", "${name}", "${p.name}", ${n})) return env.Undefined();`,
        );
        out.line(`std::vector<double> ${n}_d(${n}.data, ${n}.data + ${n}.length);`);
      }
    });
    const hostPtrs = [
      ...arrays.map((p) => `${cppName(p.name)}_d.data()`),
      ...k.consts.map((c) => `const_cast<double*>(tbl_${cppName(c.name)})`),
    ];
    const lens = [
      ...arrays.map((p) => `${cppName(p.name)}_d.size()`),
      ...k.consts.map((c) => `${c.values.length}`),
    ];
    out.line(`double* host[] = {${hostPtrs.join(', ') || 'nullptr'}};`);
    out.line(`size_t len[] = {${lens.join(', ') || '0'}};`);
    const scalars = k.params.filter((p) => p.kind === 'scalar').map((p) => cppName(p.name));
    out.line(`double scalars[] = {${scalars.join(', ') || '0'}};`);
    out.line('double result = 0;').line('char err[512] = {0};');
    out.line(`int code = hotloop_cuda_${cname}(host, len, scalars, &result, err, sizeof err);`);
    out.block('if (code != 0)', () => {
      out.line(`Napi::Error::New(env, std::string("${name} (CUDA): ") + err).ThrowAsJavaScriptException();`);
      out.line('return env.Undefined();');
    });
    arrays.forEach((p, i) => {
      if (p.access === 'read') return;
      const n = cppName(p.name);
      if (p.container === 'array') {
        out.line(`hotloop::writeNumbers(info[${i}], ${n}_d);`);
      } else {
        const store =
          p.dtype === 'u8c'
            ? `${n}.data[j] = hotloop::toUint8Clamp(${n}_d[j]);`
            : `${n}.data[j] = hotloop::conv(${n}.data, ${n}_d[j]);`;
        out.line(`for (size_t j = 0; j < ${n}.length; j++) ${store}`);
      }
    });
    if (k.result.kind === 'scalar' && k.result.truthy)
      out.line('return Napi::Boolean::New(env, result == result && result != 0);');
    else if (k.result.kind === 'scalar') out.line('return Napi::Number::New(env, result);');
    else if (k.result.kind === 'array')
      out.line(
        `return info[${k.params.findIndex((p) => k.result.kind === 'array' && p.name === k.result.name)}];`,
      );
    else out.line('return env.Undefined();');
  });
  out.line();
  out.block('static Napi::Object Init(Napi::Env env, Napi::Object exports)', () => {
    out.line(`exports.Set("${name}", Napi::Function::New(env, Run, "${name}"));`);
    out.line('exports.Set("deviceCount", Napi::Function::New(env, DeviceCount, "deviceCount"));');
    out.line('return exports;');
  });
  out.line().line('NODE_API_MODULE(NODE_GYP_MODULE_NAME, Init)');
  return out.text();
}

/** Prints the CUDA toolkit prefix for binding.gyp: $CUDA_HOME, /usr/local/cuda, or the folder above nvcc. */
export const CUDA_HOME_CJS = `// Prints the CUDA toolkit prefix (the folder with bin/nvcc and lib*/libcudart_static.a) for binding.gyp.
const { existsSync, realpathSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { execFileSync } = require('node:child_process');
const has = (dir) => dir && existsSync(join(dir, 'bin', 'nvcc')) && (existsSync(join(dir, 'lib64', 'libcudart_static.a')) || existsSync(join(dir, 'lib', 'libcudart_static.a')));
const candidates = [process.env.CUDA_HOME, process.env.CUDA_PATH, '/usr/local/cuda'];
try {
  const nvcc = execFileSync('sh', ['-c', 'command -v nvcc']).toString().trim();
  if (nvcc) candidates.push(dirname(dirname(realpathSync(nvcc))));
} catch {}
const home = candidates.find(has);
if (!home) {
  console.error('cuda-home: no CUDA toolkit found (set CUDA_HOME to the folder with bin/nvcc)');
  process.exit(1);
}
process.stdout.write(home);
`;

/** binding.gyp of the CUDA addon: nvcc as a gyp action, the static CUDA runtime (recipe: shared/recipes/cuda-addon.md). */
export function cudaBindingGyp(): string {
  return (
    JSON.stringify(
      {
        variables: { 'cuda_home%': '<!(node cuda-home.cjs)' },
        targets: [
          {
            target_name: 'kernel_cuda',
            sources: ['src/addon.cc'],
            include_dirs: ['<!(node -p "require(\'node-addon-api\').include_dir")'],
            defines: [
              `NAPI_VERSION=${NAPI_VERSION}`,
              'NAPI_DISABLE_CPP_EXCEPTIONS',
              'NODE_ADDON_API_DISABLE_DEPRECATED',
            ],
            cflags_cc: ['-std=c++17', '-O3', '-ffp-contract=off'],
            actions: [
              {
                action_name: 'nvcc',
                inputs: ['src/kernel.cu'],
                outputs: ['<(INTERMEDIATE_DIR)/kernel_cu.o'],
                action: [
                  '<(cuda_home)/bin/nvcc',
                  '-c',
                  '-O3',
                  '-std=c++17',
                  '--expt-relaxed-constexpr',
                  '-fmad=false',
                  '-Xcompiler',
                  '-fPIC',
                  '-gencode',
                  'arch=compute_80,code=sm_80',
                  '-gencode',
                  'arch=compute_90,code=[sm_90,compute_90]',
                  '-o',
                  '<@(_outputs)',
                  '<@(_inputs)',
                ],
              },
            ],
            libraries: [
              '<(INTERMEDIATE_DIR)/kernel_cu.o',
              '-L<(cuda_home)/lib64',
              '-L<(cuda_home)/lib',
              '-lcudart_static',
              '-ldl',
              '-lrt',
              '-lpthread',
            ],
          },
        ],
      },
      null,
      2,
    ) + '\n'
  );
}
