//! The checks every bench binary must pass.
harness::behaviour_tests!("threads", tasks = 2000);
