# The bundled kernel library. One static library per SIMD level (same source, different -m
# flags and namespace), linked into one addon that picks a level at load time.
{
  "variables": {
    "hl_cflags": ["-O3", "-fPIC", "-fno-math-errno", "-ffp-contract=fast", "-Wno-psabi", "-fvisibility=hidden"]
  },
  "target_defaults": {
    "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
    "cflags_cc": ["-std=gnu++17"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++20", "-std=c++20"],
  },
  "targets": [
    {
      "target_name": "hl_scalar",
      "type": "static_library",
      "sources": ["src/kernels.cc"],
      "defines": ["HL_NS=scalar", "HL_VBYTES=0"],
      "cflags": ["<@(hl_cflags)", "-fno-tree-vectorize"],
    },
    {
      "target_name": "hotloop_kernels",
      "sources": ["src/addon.cc", "src/pool.cc", "src/reduce.cc", "src/elementwise.cc", "src/matrix.cc"],
      "dependencies": [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except",
        "hl_scalar",
      ],
      "cflags": ["-O3", "-fvisibility=hidden"],
      "conditions": [
        ["target_arch=='x64'", {"dependencies": ["hl_sse2", "hl_avx2", "hl_avx512"]}],
        ["target_arch=='arm64'", {"dependencies": ["hl_neon"]}],
      ],
    },
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "hl_sse2",
          "type": "static_library",
          "sources": ["src/kernels.cc"],
          "defines": ["HL_NS=sse2", "HL_VBYTES=16"],
          "cflags": ["<@(hl_cflags)", "-msse2"],
        },
        {
          "target_name": "hl_avx2",
          "type": "static_library",
          "sources": ["src/kernels.cc"],
          "defines": ["HL_NS=avx2", "HL_VBYTES=32"],
          "cflags": ["<@(hl_cflags)", "-mavx2", "-mfma"],
        },
        {
          "target_name": "hl_avx512",
          "type": "static_library",
          "sources": ["src/kernels.cc"],
          "defines": ["HL_NS=avx512", "HL_VBYTES=64"],
          "cflags": ["<@(hl_cflags)", "-mavx2", "-mfma", "-mavx512f", "-mavx512dq", "-mavx512vl", "-mavx512bw",
                     "-mprefer-vector-width=512"],
        },
      ],
    }],
    ["target_arch=='arm64'", {
      "targets": [
        {
          "target_name": "hl_neon",
          "type": "static_library",
          "sources": ["src/kernels.cc"],
          "defines": ["HL_NS=neon", "HL_VBYTES=16"],
          "cflags": ["<@(hl_cflags)"],
        },
      ],
    }],
  ],
}
