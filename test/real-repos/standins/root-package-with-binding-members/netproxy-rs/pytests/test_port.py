def test_port(): import netproxy_rs
