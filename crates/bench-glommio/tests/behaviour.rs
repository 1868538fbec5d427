//! The checks every bench binary must pass.
harness::behaviour_tests!("glommio", tasks = 2000);
